// Files the tool writes (issue 14, items 12 and 15): only regular files, atomically, never through a
// symlink, device or FIFO standing at the name (refused up front: exit 3, the thing untouched); a
// report that cannot be written at the end (a directory with its name, a full disk) is named on
// stderr while the findings are still printed, the exit code stays the verdict's, and no temporary
// file is left. Offline runs (codeartifact --policy-file): no AWS involved.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'vitest';
import { DEFAULT_FORMATS } from '../../src/report/formats.ts';
import { skipWhen } from '../harness/skip.ts';
import { testEnv } from '../harness/moto.ts';
import { CLI, runCli } from './cli.ts';

const POLICY = new URL('../fixtures/codeartifact/public-star.json', import.meta.url).pathname;
const offline = (outputDir: string) => ['codeartifact', '--domain', 'packages', '--domain-owner', '111122223333', '--policy-file', POLICY, '--output-dir', outputDir];
const tempLeft = (dir: string) => readdirSync(dir).filter((f) => /tmp/.test(f));
const fifoSupported = spawnSync('mkfifo', ['--version']).status === 0;

/** Runs the built CLI, optionally under a file size limit (KiB blocks); unlike runCli it never reads the output folder (a FIFO there would block). */
async function runRaw(args: string[], fileSizeLimit?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child =
    fileSizeLimit === undefined
      ? spawn(process.execPath, [CLI, ...args], { env: testEnv('http://127.0.0.1:9'), stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('bash', ['-c', `ulimit -f ${fileSizeLimit} && exec "$0" "$@"`, process.execPath, CLI, ...args], { env: testEnv('http://127.0.0.1:9'), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

describe('written files: regular files only, atomically; a failed write keeps the verdict', () => {
  test('a directory named like a report file: that report is named on stderr, the others are written, the findings printed, exit 1 kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-out-dir-'));
    mkdirSync(join(dir, 'packages-preflight.md'));
    const run = await runRaw(offline(dir));
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /NON-COMPLIANT/);
    assert.match(run.stdout, /public-principal/);
    const lines = run.stderr.trim().split('\n');
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0], /^packages-preflight: could not write the report .*packages-preflight\.md \(EISDIR: a directory has that name\); the findings above are complete/);
    assert.doesNotMatch(run.stderr, /internal error|^\s+at /m);
    assert.equal(JSON.parse(readFileSync(join(dir, 'packages-preflight.json'), 'utf8')).exitCode, 1, 'the JSON report was written');
    assert.match(readFileSync(join(dir, 'packages-preflight.junit.xml'), 'utf8'), /<testsuites/, 'the JUnit report was written');
    assert.ok(lstatSync(join(dir, 'packages-preflight.md')).isDirectory(), 'the directory is left alone');
    assert.deepEqual(tempLeft(dir), []);
  });

  test('a full disk (a file size limit stands in for it): every report named with the reason, findings printed, exit 1, no temporary file', skipWhen(spawnSync('bash', ['-c', 'ulimit -f 2']).status === 0 ? false : 'no bash with ulimit -f', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-out-full-'));
    const { code, stdout, stderr } = await runRaw(offline(dir), 2);
    assert.equal(code, 1, stderr);
    assert.match(stdout, /NON-COMPLIANT/);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, DEFAULT_FORMATS.length, stderr);
    for (const line of lines) assert.match(line, /^packages-preflight: could not write the report .*packages-preflight\.(json|junit\.xml|md|html) \(EFBIG: /);
    assert.deepEqual(readdirSync(dir), [], 'no partial report, no temporary file');
  }));

  test('--write-baseline naming a symlink: refused with exit 3 before any AWS call; the link and its target are untouched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-out-link-'));
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'precious\n');
    symlinkSync(outside, join(dir, 'baseline.json'));
    const run = await runCli(['check', '--bucket', 'ghes-packages', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--write-baseline', join(dir, 'baseline.json')]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /^packages-preflight: --write-baseline .*baseline\.json: .*baseline\.json is a symbolic link; packages-preflight writes only regular files/);
    assert.equal(readFileSync(outside, 'utf8'), 'precious\n');
    assert.ok(lstatSync(join(dir, 'baseline.json')).isSymbolicLink());
  });

  test('a report name in --output-dir that is a symlink or a FIFO: refused with exit 3, left as it was', skipWhen(fifoSupported ? false : 'no mkfifo', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-out-special-'));
    const outside = join(dir, 'outside.txt');
    writeFileSync(outside, 'precious\n');
    symlinkSync(outside, join(dir, 'packages-preflight.json'));
    spawnSync('mkfifo', [join(dir, 'packages-preflight.md')]);
    for (const format of ['json', 'markdown']) {
      const run = await runRaw([...offline(dir), '--format', format]);
      assert.equal(run.code, 3, run.stderr);
      assert.match(run.stderr, new RegExp(`packages-preflight\\.${format === 'json' ? 'json is a symbolic link' : 'md is a FIFO'}`));
    }
    // Only the named formats matter: JUnit alone is written.
    const junit = await runRaw([...offline(dir), '--format', 'junit']);
    assert.equal(junit.code, 1, junit.stderr);
    assert.equal(readFileSync(outside, 'utf8'), 'precious\n');
    assert.ok(lstatSync(join(dir, 'packages-preflight.md')).isFIFO());
    assert.deepEqual(tempLeft(dir), []);
  }));

  test('a device node as --write-baseline (as root, /dev/full was replaced): refused with exit 3, still a device', skipWhen(process.getuid?.() === 0 ? false : 'mknod needs root', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'preflight-out-dev-'));
    const device = join(dir, 'full');
    assert.equal(spawnSync('mknod', [device, 'c', '1', '7']).status, 0, 'mknod');
    const run = await runCli(['check', '--bucket', 'ghes-packages', '--service-url', 'https://s3.us-east-1.amazonaws.com', '--write-baseline', device]);
    assert.equal(run.code, 3, run.stderr);
    assert.match(run.stderr, /--write-baseline .*full is a device; packages-preflight writes only regular files/);
    assert.ok(lstatSync(device).isCharacterDevice());
  }));
});
