import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { FileBase } from 'projen';
import { SloKind } from '../../src';
import { newProject, synthToDisk } from '../util';

/*
 * A re-sync leaves a generated file alone when it is on disk with the same text and mode, and
 * rewrites it otherwise, as projen intends (projen's own check rewrote every file as root).
 */

const OPTIONS = {
  services: [{ name: 'checkout', namespace: 'shop', port: 'http', slos: [{ kind: SloKind.AVAILABILITY, objective: 99.9 }] }],
};
const YAML_FILE = 'tests/rules/service-slos.rules.yaml';
const TEXT_FILE = 'docs/services/shop/checkout.md';
const SCRIPT = 'scripts/bootstrap.sh';

function files(dir: string, paths: string[]) {
  return Object.fromEntries(paths.map((p) => {
    const s = statSync(join(dir, p));
    return [p, { text: readFileSync(join(dir, p), 'utf8'), mode: s.mode % 0o1000, mtimeMs: s.mtimeMs, ino: s.ino }];
  }));
}

describe('generated files on a re-sync', () => {
  const paths = [YAML_FILE, TEXT_FILE, SCRIPT, 'argocd/root.yaml'];

  test('unchanged files are not rewritten; changed, re-moded or deleted ones are', () => {
    const first = newProject(OPTIONS);
    const dir = synthToDisk(first);
    const before = files(dir, paths);
    expect(before[SCRIPT].mode).toBe(0o544);
    expect(before[YAML_FILE].mode).toBe(0o444);

    // tamper: content, mode, and a missing file
    chmodSync(join(dir, TEXT_FILE), 0o644);
    writeFileSync(join(dir, TEXT_FILE), 'edited by hand\n');
    chmodSync(join(dir, SCRIPT), 0o755);
    rmSync(join(dir, 'argocd/root.yaml'));

    const second = newProject({ ...OPTIONS, outdir: dir } as any);
    synthToDisk(second);
    const after = files(dir, paths);
    for (const p of paths) expect([p, after[p].text, after[p].mode]).toEqual([p, before[p].text, before[p].mode]);
    // untouched: same inode and modification time
    expect(after[YAML_FILE].mtimeMs).toBe(before[YAML_FILE].mtimeMs);
    const changed = (p: string) => (second.tryFindFile(p) as FileBase).changed;
    expect(paths.map((p) => [p, changed(p)])).toEqual([[YAML_FILE, false], [TEXT_FILE, true], [SCRIPT, true], ['argocd/root.yaml', true]]);
  });
});
