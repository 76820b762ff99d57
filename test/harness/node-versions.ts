// Other Node.js releases for the version tests, from the npm registry like every other package:
// the `node-<platform>-<arch>` packages carry the official binaries. Installed once into the
// git-ignored .cache/ folder of the repository (shared by test processes, under a file lock).

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, withFileLock } from './moto.ts';

const CACHE = path.join(REPO_ROOT, '.cache', 'node-versions');

/** Path of the `node` binary of exactly `version` (e.g. '22.12.0'), downloading it on first use. */
export async function nodeBinary(version: string): Promise<string> {
  const dir = path.join(CACHE, version);
  const bin = path.join(dir, 'package', 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (fs.existsSync(bin)) return bin;
  return withFileLock(path.join(CACHE, `${version}.lock`), async () => {
    if (fs.existsSync(bin)) return bin;
    const name = `node-${process.platform}-${process.arch}@${version}`;
    const staging = fs.mkdtempSync(path.join(CACHE, `${version}-`));
    const tgz = execFileSync('npm', ['pack', name, '--pack-destination', staging, '--silent'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 }).trim().split('\n').pop() ?? '';
    execFileSync('tar', ['-xzf', path.join(staging, tgz), '-C', staging]);
    fs.rmSync(path.join(staging, tgz));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(staging, dir);
    return bin;
  }, { waitMs: 600_000 });
}
