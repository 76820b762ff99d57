// The published artefact: `npm pack`, install the tarball into an empty folder (offline: the
// bundle has no runtime dependencies), run the installed bin.

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';

const repo = new URL('../..', import.meta.url).pathname;
const npmEnv = { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

test('npm pack → install the tarball offline → packages-preflight --version and check --help', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'preflight-pack-'));
  // --ignore-scripts: the bundle in dist/ was built by npm test before the tests (prepack rebuilds it for real publishing).
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: repo, env: npmEnv, stdio: 'pipe' });
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote no tarball');
  const listing = execFileSync('tar', ['-tzf', join(dir, tarball)], { encoding: 'utf8' });
  assert.match(listing, /package\/dist\/cli\.mjs/);
  assert.match(listing, /package\/action\.yml/);
  assert.doesNotMatch(listing, /package\/(src|test|checks)\//, 'only the bundle is published');
  const app = join(dir, 'app');
  execFileSync('npm', ['install', '--offline', '--prefix', app, join(dir, tarball)], { env: npmEnv, stdio: 'pipe' });
  const bin = join(app, 'node_modules', '.bin', 'packages-preflight');
  const version = spawnSync(process.execPath, [bin, '--version'], { encoding: 'utf8' });
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout.trim(), /^\d+\.\d+\.\d+$/);
  const help = spawnSync(process.execPath, [bin, 'check', '--help'], { encoding: 'utf8' });
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--service-url/);
  assert.match(help.stdout, /Exit codes:/);
});
