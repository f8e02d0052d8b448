import * as path from 'path';
import { Repo } from './repo';
import { SHAPES_RULE_FILE_SUFFIX, ShapeRule, ruleShape, rulesByOwner } from '../model/alerts/shapes';

/*
 * When a group's promtool tests load `<group>.shapes.rules.yaml` (one service
 * per rule shape) instead of `<group>.rules.yaml` (every service), prove from
 * the two files that the tests cover every rule: each service's rules in the
 * full file have the shape of a tested service's, the tested services' rules
 * are the full file's own, and rules of no one service are the same in both.
 * Recomputed here from the files, not trusted from the generator.
 */

interface Result {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'not-run';
  readonly summary: string;
  readonly problems: readonly string[];
}

function rulesOf(repo: Repo, file: string): ShapeRule[] | undefined {
  const doc = repo.documents.find((d) => d.file === file)?.value as { groups?: Array<{ rules?: ShapeRule[] }> } | undefined;
  if (!doc || !Array.isArray(doc.groups)) return undefined;
  return doc.groups.flatMap((g) => (Array.isArray(g.rules) ? g.rules : []));
}

function ownerParts(owner: string): [string, string] {
  const i = owner.indexOf('/');
  return [owner.slice(0, i), owner.slice(i + 1)];
}

/** Check every shapes rule file a test file loads against its full rule file. */
export function checkRuleShapes(repo: Repo): Result {
  const problems: string[] = [];
  const summaries: string[] = [];
  for (const doc of repo.documents) {
    if (!/^tests\/rules\/.+\.test\.ya?ml$/.test(doc.file)) continue;
    const ruleFiles = (doc.value as { rule_files?: unknown })?.rule_files;
    if (!Array.isArray(ruleFiles)) continue;
    for (const rf of ruleFiles) {
      if (typeof rf !== 'string' || !rf.endsWith(SHAPES_RULE_FILE_SUFFIX)) continue;
      const shapesFile = path.posix.join(path.posix.dirname(doc.file), rf);
      const fullFile = shapesFile.slice(0, -SHAPES_RULE_FILE_SUFFIX.length) + '.rules.yaml';
      const tested = rulesOf(repo, shapesFile);
      const full = rulesOf(repo, fullFile);
      if (!tested || !full) {
        problems.push(`${doc.file}: loads ${shapesFile}, which needs ${fullFile} next to it (both rule files must exist and parse)`);
        continue;
      }
      const testedBy = rulesByOwner(tested);
      const fullBy = rulesByOwner(full);
      const shapes = new Map<string, string>();
      for (const [owner, rules] of testedBy) {
        if (owner === '') continue;
        const [ns, svc] = ownerParts(owner);
        const mine = ruleShape(rules, ns, svc);
        const theirs = fullBy.get(owner);
        if (!theirs || ruleShape(theirs, ns, svc) !== mine) {
          problems.push(`${shapesFile}: the rules of ${owner} are not the same as in ${fullFile}: the tests would test rules that are not deployed`);
        }
        shapes.set(mine, owner);
      }
      const unowned = (m: Map<string, ShapeRule[]>) => ruleShape(m.get('') ?? [], '', '');
      if (unowned(testedBy) !== unowned(fullBy)) {
        problems.push(`${shapesFile}: its rules of no one service (without namespace and service labels) differ from ${fullFile}'s`);
      }
      let services = 0;
      for (const [owner, rules] of fullBy) {
        if (owner === '') continue;
        services++;
        const [ns, svc] = ownerParts(owner);
        if (!shapes.has(ruleShape(rules, ns, svc))) {
          problems.push(`${fullFile}: the rules of ${owner} have a shape no tested service has (${shapesFile} has no service whose rules differ from them only in namespace and name): regenerate the files`);
        }
      }
      summaries.push(`${fullFile}: ${services} services in ${shapes.size} rule shape${shapes.size === 1 ? '' : 's'}, tested through ${shapesFile}`);
    }
  }
  return {
    name: 'rule shapes',
    status: problems.length > 0 ? 'fail' : 'pass',
    summary: summaries.length > 0 ? summaries.join('; ') : 'every test file loads every rule it tests',
    problems,
  };
}
