'use strict';
/**
 * Pure helpers used by scripts/derive-reference.mjs (and unit-tested from
 * test/reference). No file-system access here: every function takes text or
 * parsed data and returns data.
 *
 * A "key tree" is what reference/charts/<chart>/<version>.keys.json holds:
 *   - an object: a closed map; only its keys are known, each mapping to a tree;
 *   - the string "*": open; anything beneath is allowed.
 */
const YAML = require('yaml');

const OPEN = '*';

function isPlainObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------------------
// Trees
// ---------------------------------------------------------------------------

/** Key tree of a parsed YAML value: non-empty maps are closed, everything else open. */
function treeFromValue(value) {
  if (!isPlainObject(value)) return OPEN;
  const keys = Object.keys(value);
  if (keys.length === 0) return OPEN;
  const out = {};
  for (const k of keys) out[k] = treeFromValue(value[k]);
  return out;
}

/** Join of two trees: a key is known if either tree knows it; open wins over closed. */
function mergeTrees(a, b) {
  if (a === undefined) return clone(b);
  if (b === undefined) return clone(a);
  if (a === OPEN || b === OPEN) return OPEN;
  const out = clone(a);
  for (const [k, v] of Object.entries(b)) {
    out[k] = k in out ? mergeTrees(out[k], v) : clone(v);
  }
  return out;
}

function clone(t) {
  return t === undefined ? undefined : JSON.parse(JSON.stringify(t));
}

/** Node at a key path (array of keys), or undefined if the path leaves the tree. OPEN is returned as is. */
function nodeAt(tree, path) {
  let n = tree;
  for (const k of path) {
    if (n === OPEN) return OPEN;
    if (!isPlainObject(n) || !Object.prototype.hasOwnProperty.call(n, k)) return undefined;
    n = n[k];
  }
  return n;
}

/**
 * Ensure that a key path exists in a tree (used for dependency `condition`s such as
 * `grafana.enabled`). Stops silently at an open node. Returns true if something was added.
 */
function ensurePath(tree, path) {
  let n = tree;
  let added = false;
  for (let i = 0; i < path.length; i++) {
    if (!isPlainObject(n)) return added;
    const k = path[i];
    if (!Object.prototype.hasOwnProperty.call(n, k)) {
      n[k] = i === path.length - 1 ? OPEN : {};
      added = true;
    }
    n = n[k];
  }
  return added;
}

/** Set the node at path (parents must exist as closed maps). Returns false if not possible. */
function setAt(tree, path, value) {
  if (path.length === 0) return false;
  const parent = nodeAt(tree, path.slice(0, -1));
  if (!isPlainObject(parent)) return false;
  parent[path[path.length - 1]] = value;
  return true;
}

/** Count known keys and open nodes (for reporting). */
function treeStats(tree) {
  let keys = 0;
  let open = 0;
  (function walk(n) {
    if (n === OPEN) { open++; return; }
    for (const v of Object.values(n)) { keys++; walk(v); }
  })(tree);
  return { keys, open };
}

// ---------------------------------------------------------------------------
// Commented-out keys in values.yaml
// ---------------------------------------------------------------------------

// A plausible values key: identifier-like (letters, digits, _ . - /), or quoted.
const KEY_RE = /^("[^"]+"|'[^']+'|[A-Za-z_][A-Za-z0-9_.\-/]*)\s*:(?:\s+(.*))?$/;

// Words that start prose lines in the style "Word: explanation" ("ref: https://...").
const PROSE_KEYS = new Set([
  'ref', 'refs', 'reference', 'references', 'see', 'note', 'notes', 'nb', 'example', 'examples', 'eg', 'e.g', 'ie', 'i.e',
  'todo', 'fixme', 'xxx', 'warning', 'caution', 'important', 'tip', 'hint', 'link', 'links', 'docs', 'documentation',
  'http', 'https', 'yaml-language-server',
]);

/**
 * Classify the text of one comment line (the part after the '#').
 * Returns { kind: 'prose' } | { kind: 'item' } | { kind: 'key', key, value }.
 */
function classifyCommentText(rest) {
  const content = rest.trim();
  // "## ..." (and "# # ...") is prose by convention
  if (rest.startsWith('#') || content.startsWith('#')) return { kind: 'prose', reason: '##' };
  if (content === '') return { kind: 'prose', reason: 'blank' };
  if (content.startsWith('--') || content.startsWith('@')) return { kind: 'prose', reason: 'helm-docs' };
  if (content === '-' || content.startsWith('- ')) return { kind: 'item' };
  const m = KEY_RE.exec(content);
  if (!m) return { kind: 'prose', reason: 'not a key' };
  let key = m[1];
  if (key.startsWith('"') || key.startsWith("'")) key = key.slice(1, -1);
  let value = (m[2] || '').trim();
  // drop a trailing comment (" # ...") unless inside quotes (approximation: only when no quote follows)
  const hash = value.search(/\s#/);
  if (hash >= 0 && !/["']/.test(value.slice(hash))) value = value.slice(0, hash).trim();
  if (PROSE_KEYS.has(key.toLowerCase().replace(/\.$/, ''))) return { kind: 'prose', reason: 'prose word' };
  if (isProseValue(value)) return { kind: 'prose', reason: 'prose value' };
  return { kind: 'key', key, value };
}

/** A value that reads like a sentence rather than a YAML scalar/collection. */
function isProseValue(value) {
  if (value === '') return false;
  if (/^["'[{|>&*!]/.test(value)) return false; // quoted, flow collection, block scalar, anchor, tag
  const words = value.split(/\s+/);
  if (words.length >= 4) return true;
  if (words.length >= 2 && /[.!?]$/.test(value)) return true;
  if (words.length >= 2 && /^[A-Z][a-z]/.test(value)) return true;
  return false;
}

/**
 * Walk a parsed values.yaml document and list its real keys with their position.
 * Returns { keys: [{ line, col, path, inArray, empty }], scalarLines: Set<line> } (1-based lines, 0-based
 * cols; `empty` marks `key: {}`).
 * scalarLines are the continuation lines of multi-line scalars (block scalars), whose '#' lines are text,
 * not comments.
 */
function realKeyPositions(doc, lineCounter) {
  const keys = [];
  const scalarLines = new Set();
  const pos = (off) => {
    const p = lineCounter.linePos(off);
    return { line: p.line, col: p.col - 1 };
  };
  (function walk(node, path, inArray) {
    if (YAML.isMap(node)) {
      for (const pair of node.items) {
        const keyNode = pair.key;
        const key = YAML.isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        if (keyNode && keyNode.range) {
          const p = pos(keyNode.range[0]);
          const v = pair.value;
          const empty = YAML.isMap(v) && v.items.length === 0; // `key: {}`
          keys.push({ line: p.line, col: p.col, path: [...path, key], inArray, empty });
        }
        walk(pair.value, [...path, key], inArray);
      }
    } else if (YAML.isSeq(node)) {
      node.items.forEach((it, i) => walk(it, [...path, i], true));
    } else if (YAML.isScalar(node) && node.range) {
      const a = pos(node.range[0]).line;
      const b = pos(Math.max(node.range[0], node.range[1] - 1)).line;
      for (let l = a + 1; l <= b; l++) scalarLines.add(l);
    }
  })(doc.contents, [], false);
  keys.sort((x, y) => x.line - y.line || x.col - y.col);
  return { keys, scalarLines };
}

/**
 * Find keys documented as commented-out YAML inside a values.yaml and add them to `tree`
 * (mutated). A commented key is accepted only when, from its indentation relative to the
 * enclosing real keys, it lands directly in a map that is closed in `tree`; the new key is
 * recorded as open ("*") because a commented example never lists everything allowed beneath it.
 *
 * Indentation: "  # key: v" (the '#' at the key's own column, one space) is the usual style, so the
 * key's effective column is the '#' column (plus any extra spaces beyond the first). When the '#'
 * sits left of both neighbouring real keys (the end of the document counts as column 0), e.g. at
 * column 0 inside an indented block, the text
 * column is taken instead ("#   limits:" under "  resources: {}").
 *
 * Returns { tree, accepted: [{ line, path }], rejected: [{ line, text, reason }] }.
 */
function addCommentedKeys(text, tree, options) {
  const opts = options || {};
  const lineCounter = new YAML.LineCounter();
  const doc = YAML.parseDocument(text, { lineCounter, uniqueKeys: false });
  const { keys: realKeys, scalarLines } = realKeyPositions(doc, lineCounter);
  const lines = text.split(/\r?\n/);

  const realByLine = new Map();
  for (const k of realKeys) if (!realByLine.has(k.line)) realByLine.set(k.line, k);
  const realLineNumbers = [...realByLine.keys()].sort((a, b) => a - b);
  // index of the first real key line after a given line (binary search)
  const nextRealCol = (line) => {
    let lo = 0;
    let hi = realLineNumbers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (realLineNumbers[mid] <= line) lo = mid + 1; else hi = mid;
    }
    return lo < realLineNumbers.length ? realByLine.get(realLineNumbers[lo]).col : undefined;
  };

  const accepted = [];
  const rejected = [];
  const stack = []; // { col, real, path, target }
  const pop = (col) => {
    while (stack.length && stack[stack.length - 1].col >= col) stack.pop();
  };
  let prevRealCol;
  let lastReal; // the last real key seen
  let gapSinceReal = false; // a blank or prose line since the last real key
  let realIdx = 0;

  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    // real keys on this line (there can be several in a flow map)
    while (realIdx < realKeys.length && realKeys[realIdx].line === lineNo) {
      const k = realKeys[realIdx++];
      pop(k.col);
      stack.push({ col: k.col, real: true, path: k.path, inArray: k.inArray });
      prevRealCol = k.col;
      lastReal = k;
      gapSinceReal = false;
    }
    if (scalarLines.has(lineNo)) continue;
    if (lines[i].trim() === '') {
      gapSinceReal = true;
      continue;
    }
    const m = /^(\s*)#(.*)$/.exec(lines[i]);
    if (!m) continue;
    const hashCol = m[1].replace(/\t/g, '  ').length;
    const rest = m[2];
    const c = classifyCommentText(rest);
    if (c.kind === 'prose') {
      // A prose line at (or left of) the last real key's column starts a new comment; deeper
      // prose lines belong to an example block (e.g. a commented rule's `expr: sum by ...`).
      const restSpaces = rest.length - rest.trimStart().length;
      const proseCol = rest.startsWith('#') ? hashCol : hashCol + Math.max(0, restSpaces - 1);
      if (!lastReal || proseCol <= lastReal.col) gapSinceReal = true;
      if (c.reason !== '##' && c.reason !== 'blank' && c.reason !== 'helm-docs' && opts.collectRejected) {
        rejected.push({ line: lineNo, text: rest.trim(), reason: c.reason });
      }
      continue;
    }
    const spaces = rest.length - rest.trimStart().length;
    const textCol = hashCol + 1 + spaces;
    // the end of the document counts as a real key at column 0
    const next = nextRealCol(lineNo) ?? 0;
    const outdented = prevRealCol !== undefined && hashCol < Math.min(prevRealCol, next);
    const effCol = outdented ? textCol : hashCol + Math.max(0, spaces - 1);

    pop(effCol);
    const parent = stack[stack.length - 1];
    if (c.kind === 'item') {
      stack.push({ col: effCol, real: false, target: null });
      continue;
    }
    // "podLabels: {}" directly followed (no blank or prose line between) by "# app: foo" at the same
    // column: the comment is most likely the example content of the empty map, not a sibling.
    // Ambiguous, so not accepted.
    if (lastReal && lastReal.empty && !gapSinceReal && effCol === lastReal.col) {
      if (opts.collectRejected) rejected.push({ line: lineNo, text: rest.trim(), reason: `follows empty ${lastReal.path.join('.')}` });
      stack.push({ col: effCol, real: false, target: null });
      continue;
    }
    let target;
    let parentPath;
    if (!parent) {
      target = tree;
      parentPath = [];
    } else if (parent.real) {
      target = parent.inArray ? undefined : nodeAt(tree, parent.path);
      parentPath = parent.path;
    } else {
      target = parent.target;
      parentPath = parent.path;
    }
    if (!isPlainObject(target)) {
      stack.push({ col: effCol, real: false, target: null });
      continue;
    }
    // A capitalised word ("Example:", "Default:") is prose unless the map already uses such keys.
    if (/^[A-Z]/.test(c.key) && !Object.keys(target).some((k) => /^[A-Z]/.test(k))) {
      if (opts.collectRejected) rejected.push({ line: lineNo, text: rest.trim(), reason: 'capitalised' });
      continue;
    }
    // "global:" re-stated inside "global:" (an example that spells out the full path).
    if (parentPath.length > 0 && parentPath[parentPath.length - 1] === c.key) {
      if (opts.collectRejected) rejected.push({ line: lineNo, text: rest.trim(), reason: 'restates parent' });
      stack.push({ col: effCol, real: false, target: null });
      continue;
    }
    const path = [...parentPath, c.key];
    if (!Object.prototype.hasOwnProperty.call(target, c.key)) {
      target[c.key] = OPEN;
      accepted.push({ line: lineNo, path });
    }
    const node = target[c.key];
    stack.push({ col: effCol, real: false, path, target: isPlainObject(node) ? node : null });
  }
  return { tree, accepted, rejected };
}

/** Key tree of a values.yaml text: parsed defaults plus commented-out keys. */
function valuesYamlTree(text, options) {
  const parsed = YAML.parse(text, { uniqueKeys: false });
  const tree = isPlainObject(parsed) && Object.keys(parsed).length > 0 ? treeFromValue(parsed) : {};
  return addCommentedKeys(text, tree, options);
}

// ---------------------------------------------------------------------------
// values.schema.json
// ---------------------------------------------------------------------------

function resolveRef(root, ref) {
  if (!ref.startsWith('#')) throw new Error(`non-local $ref not supported: ${ref}`);
  const parts = ref.slice(1).split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p).replace(/~1/g, '/').replace(/~0/g, '~'));
  let n = root;
  for (const p of parts) {
    if (n === undefined || n === null) break;
    n = n[p];
  }
  if (n === undefined) throw new Error(`unresolvable $ref: ${ref}`);
  return n;
}

/**
 * What a (sub)schema says about keys, as a recursive "info":
 *   undefined                   - nothing about keys (a scalar or array schema);
 *   { open, strict, props }     - an object schema: `props` maps each described property to its info;
 *                                 `open` when anything beneath is allowed (additionalProperties true or a
 *                                 schema, patternProperties, x-kubernetes-preserve-unknown-fields, or an
 *                                 object schema that describes no properties at all);
 *                                 `strict` when additionalProperties is false.
 * allOf/anyOf/oneOf branches are joined; local $refs are followed.
 */
function schemaInfo(root, node, seen) {
  const visiting = seen || new Set();
  if (!isPlainObject(node)) return undefined;
  if (typeof node.$ref === 'string') {
    if (visiting.has(node.$ref)) return { open: true, strict: false, props: {} }; // recursive schema
    const next = new Set(visiting);
    next.add(node.$ref);
    const { $ref, ...rest } = node;
    return joinInfo(schemaInfo(root, resolveRef(root, $ref), next), schemaInfo(root, rest, visiting));
  }
  let info;
  for (const kw of ['allOf', 'anyOf', 'oneOf']) {
    if (Array.isArray(node[kw])) for (const s of node[kw]) info = joinInfo(info, schemaInfo(root, s, visiting));
  }
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  const hasProps = isPlainObject(node.properties) && Object.keys(node.properties).length > 0;
  const isObject = types.includes('object') || hasProps || node.additionalProperties !== undefined || node.patternProperties !== undefined;
  if (!isObject) return info;
  const props = {};
  if (hasProps) for (const [k, sub] of Object.entries(node.properties)) props[k] = schemaInfo(root, sub, visiting);
  const open = node.additionalProperties === true || isPlainObject(node.additionalProperties) ||
    (isPlainObject(node.patternProperties) && Object.keys(node.patternProperties).length > 0) ||
    node['x-kubernetes-preserve-unknown-fields'] === true ||
    (!hasProps && node.additionalProperties !== false);
  return joinInfo(info, { open, strict: node.additionalProperties === false, props });
}

function joinInfo(a, b) {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const props = { ...a.props };
  for (const [k, v] of Object.entries(b.props)) props[k] = k in props ? joinInfo(props[k], v) : v;
  return { open: a.open || b.open, strict: a.strict && b.strict, props };
}

/** Key tree described by a schema info alone. */
function infoToTree(info) {
  if (info === undefined || info.open) return OPEN;
  const keys = Object.keys(info.props);
  if (keys.length === 0) return info.strict ? {} : OPEN;
  const out = {};
  for (const k of keys) out[k] = infoToTree(info.props[k]);
  return out;
}

/**
 * Merge what a values.schema.json says into a values.yaml key tree (union):
 *  - keys only in the schema are added with the schema's subtree;
 *  - a map the schema leaves open (see schemaInfo) becomes open;
 *  - where the values.yaml default is open (`{}`, null) but the schema is strict
 *    (additionalProperties: false), the schema's closed tree is used: the chart rejects other keys;
 *  - the root is never opened (loki's schema has additionalProperties: true at the root, which
 *    would otherwise disable all checking); only its properties are merged.
 */
function mergeSchemaIntoTree(valuesTree, schema) {
  const info = schemaInfo(schema, schema);
  if (info === undefined) return valuesTree;
  const out = mergeWithInfo(valuesTree, { ...info, open: false });
  return out === OPEN ? {} : out;
}

function mergeWithInfo(tree, info) {
  if (info === undefined) return tree === undefined ? OPEN : tree;
  if (info.open) return OPEN;
  if (tree === undefined) return infoToTree(info);
  if (tree === OPEN) return info.strict ? infoToTree(info) : OPEN;
  const out = clone(tree);
  for (const [k, sub] of Object.entries(info.props)) out[k] = mergeWithInfo(out[k], sub);
  return out;
}

// ---------------------------------------------------------------------------
// CRD schemas
// ---------------------------------------------------------------------------

// Schema keywords whose value is a map of name -> schema (names must be kept verbatim).
const SCHEMA_MAP_KEYWORDS = new Set(['properties', 'patternProperties', 'definitions', '$defs', 'dependencies']);
// Keywords whose value is a schema or an array of schemas.
const SCHEMA_KEYWORDS = new Set(['items', 'additionalProperties', 'additionalItems', 'not', 'anyOf', 'oneOf', 'allOf', 'contains', 'propertyNames', 'if', 'then', 'else']);
// Documentation-only keywords removed from CRD schemas.
const DOC_KEYWORDS = new Set(['description', 'example', 'examples', 'externalDocs', 'title', '$comment']);

/** Copy of an OpenAPI v3 schema without documentation keywords (names of properties are kept). */
function stripDocs(schema) {
  if (Array.isArray(schema)) return schema.map(stripDocs);
  if (!isPlainObject(schema)) return schema;
  const out = {};
  for (const [k, v] of Object.entries(schema)) {
    if (DOC_KEYWORDS.has(k)) continue;
    if (SCHEMA_MAP_KEYWORDS.has(k) && isPlainObject(v)) {
      const m = {};
      for (const [name, sub] of Object.entries(v)) m[name] = stripDocs(sub);
      out[k] = m;
    } else if (SCHEMA_KEYWORDS.has(k)) {
      out[k] = stripDocs(v);
    } else {
      out[k] = v; // enum, required, default, x-kubernetes-*, ...: data, kept verbatim
    }
  }
  return out;
}

/** The served, non-deprecated versions of a CRD document with their stripped schema. */
function crdVersions(crd) {
  const out = [];
  for (const v of crd.spec.versions || []) {
    if (!v.served || v.deprecated) continue;
    const schema = v.schema && v.schema.openAPIV3Schema;
    if (!schema) continue;
    out.push({ group: crd.spec.group, kind: crd.spec.names.kind, version: v.name, storage: !!v.storage, schema: stripDocs(schema) });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------

function parseVersion(v) {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?/.exec(String(v).trim());
  if (!m) return undefined;
  return { major: +m[1], minor: +(m[2] || 0), patch: +(m[3] || 0), pre: m[4] || '' };
}

/** Numeric semver-ish comparison (a pre-release sorts before its release). */
function compareVersions(a, b) {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return compareStrings(String(a), String(b));
  for (const f of ['major', 'minor', 'patch']) if (x[f] !== y[f]) return x[f] - y[f];
  if (x.pre === y.pre) return 0;
  if (x.pre === '') return 1;
  if (y.pre === '') return -1;
  return compareStrings(x.pre, y.pre);
}

/**
 * Does `version` satisfy a Helm dependency constraint? Supports the forms found in the charts:
 * exact ("8.4.0"), wildcards ("8.4.*", "8.x"), caret ("^6.7.4"), tilde ("~6.43.0"),
 * comparison sets (">=1.2.0 <2.0.0") and "||" alternatives.
 */
function satisfies(version, constraint) {
  const v = parseVersion(version);
  if (!v) return false;
  if (v.pre) return false;
  return String(constraint).split('||').some((alt) => alt.trim().split(/\s+/).filter(Boolean).every((c) => satisfiesOne(v, c)));
}

function satisfiesOne(v, c) {
  const m = /^(>=|<=|>|<|=|\^|~)?\s*v?(\d+|[x*])(?:\.(\d+|[x*]))?(?:\.(\d+|[x*]))?$/i.exec(c);
  if (!m) return false;
  const op = m[1] || '';
  const parts = [m[2], m[3], m[4]];
  const wild = parts.map((p) => p === undefined || /^[x*]$/i.test(p));
  const num = parts.map((p, i) => (wild[i] ? 0 : +p));
  const cmp = (a, b) => a.major - b.major || a.minor - b.minor || a.patch - b.patch;
  const lo = { major: num[0], minor: num[1], patch: num[2] };
  if (op === '' || op === '=') {
    if (wild[0]) return true;
    if (v.major !== num[0]) return false;
    if (!wild[1] && v.minor !== num[1]) return false;
    if (!wild[1] && !wild[2] && v.patch !== num[2]) return false;
    return true;
  }
  if (op === '^') {
    if (cmp(v, lo) < 0) return false;
    if (num[0] > 0 || wild[1]) return v.major === num[0];
    if (num[1] > 0 || wild[2]) return v.major === 0 && v.minor === num[1];
    return v.major === 0 && v.minor === 0 && v.patch === num[2];
  }
  if (op === '~') {
    if (cmp(v, lo) < 0) return false;
    if (wild[1]) return v.major === num[0];
    return v.major === num[0] && v.minor === num[1];
  }
  const d = cmp(v, lo);
  if (op === '>=') return d >= 0;
  if (op === '>') return d > 0;
  if (op === '<=') return d <= 0;
  if (op === '<') return d < 0;
  return false;
}

// ---------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------

function sortKeysDeep(v) {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (!isPlainObject(v)) return v;
  const out = {};
  for (const k of Object.keys(v).sort(compareStrings)) out[k] = sortKeysDeep(v[k]);
  return out;
}

/** Locale-independent string order (UTF-16 code units), so output never depends on the machine. */
function compareStrings(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Deterministic JSON text: keys sorted at every level, trailing newline.
 * indent 0 = minified. Note: integer-like keys are still emitted in sorted order because
 * sortKeysDeep only controls insertion order, and JS objects list integer keys first; that
 * order is itself deterministic.
 */
function stableJson(v, indent) {
  return JSON.stringify(sortKeysDeep(v), null, indent || 0) + '\n';
}

function isMap(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Helm's merge of a sub-chart's defaults and what the parent sets for it:
 * maps merge key by key, anything else of the parent replaces, and a null of
 * the parent deletes the key.
 */
function helmMerge(base, over) {
  if (over === undefined) return base;
  if (!isMap(base) || !isMap(over)) return over;
  const out = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === null) delete out[k];
    else out[k] = helmMerge(base[k], v);
  }
  return out;
}

/**
 * The leaves of default values a values layer may need to restore: scalars
 * other than null and "" and non-empty lists, in their maps; undefined when
 * there are none. (A layer that leaves a key out deletes it with null, which
 * is right only where the chart has no default of its own.)
 */
function defaultLeaves(v) {
  if (isMap(v)) {
    const out = {};
    for (const [k, x] of Object.entries(v)) {
      const leaf = defaultLeaves(x);
      if (leaf !== undefined) out[k] = leaf;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }
  if (v === null || v === '' || (Array.isArray(v) && v.length === 0)) return undefined;
  return v;
}

module.exports = {
  OPEN,
  helmMerge,
  defaultLeaves,
  treeFromValue,
  mergeTrees,
  nodeAt,
  ensurePath,
  setAt,
  treeStats,
  classifyCommentText,
  isProseValue,
  addCommentedKeys,
  valuesYamlTree,
  schemaInfo,
  infoToTree,
  mergeSchemaIntoTree,
  stripDocs,
  crdVersions,
  parseVersion,
  compareVersions,
  satisfies,
  sortKeysDeep,
  stableJson,
  compareStrings,
};
