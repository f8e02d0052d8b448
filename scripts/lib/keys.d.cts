// Types of scripts/lib/keys.cjs (used by the unit tests in test/reference).

/** A key tree: an object is a closed map of known keys; "*" is open. */
export type KeyTree = '*' | { [key: string]: KeyTree };

export declare const OPEN: '*';

export interface CommentedKey {
  line: number;
  path: string[];
}

export interface RejectedComment {
  line: number;
  text: string;
  reason: string;
}

export interface CommentedKeysResult {
  tree: KeyTree;
  accepted: CommentedKey[];
  rejected: RejectedComment[];
}

export type CommentClass =
  | { kind: 'prose'; reason: string }
  | { kind: 'item' }
  | { kind: 'key'; key: string; value: string };

export interface SchemaInfo {
  open: boolean;
  strict: boolean;
  props: { [key: string]: SchemaInfo | undefined };
}

export interface CrdVersion {
  group: string;
  kind: string;
  version: string;
  storage: boolean;
  schema: any;
}

export declare function treeFromValue(value: unknown): KeyTree;
export declare function mergeTrees(a: KeyTree | undefined, b: KeyTree | undefined): KeyTree;
export declare function nodeAt(tree: KeyTree, path: string[]): KeyTree | undefined;
export declare function ensurePath(tree: KeyTree, path: string[]): boolean;
export declare function setAt(tree: KeyTree, path: string[], value: KeyTree): boolean;
export declare function treeStats(tree: KeyTree): { keys: number; open: number };
export declare function classifyCommentText(rest: string): CommentClass;
export declare function isProseValue(value: string): boolean;
export declare function addCommentedKeys(text: string, tree: KeyTree, options?: { collectRejected?: boolean }): CommentedKeysResult;
export declare function valuesYamlTree(text: string, options?: { collectRejected?: boolean }): CommentedKeysResult;
export declare function schemaInfo(root: any, node: any): SchemaInfo | undefined;
export declare function infoToTree(info: SchemaInfo | undefined): KeyTree;
export declare function mergeSchemaIntoTree(valuesTree: KeyTree, schema: any): KeyTree;
export declare function stripDocs(schema: any): any;
export declare function crdVersions(crd: any): CrdVersion[];
export declare function parseVersion(v: string): { major: number; minor: number; patch: number; pre: string } | undefined;
export declare function compareVersions(a: string, b: string): number;
export declare function satisfies(version: string, constraint: string): boolean;
export declare function sortKeysDeep<T>(v: T): T;
export declare function stableJson(v: unknown, indent?: number): string;
export declare function compareStrings(a: string, b: string): number;

/** Helm's merge of a sub-chart's defaults and what the parent sets for it (null deletes). */
export declare function helmMerge(base: unknown, over: unknown): unknown;
/** The default leaves a values layer may need to restore (scalars other than null and "", non-empty lists), or undefined. */
export declare function defaultLeaves(v: unknown): unknown;
