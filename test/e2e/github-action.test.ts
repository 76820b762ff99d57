// The bundled GitHub Action (dist/action.mjs) against the emulator, with fake runner files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, test } from 'vitest';
import { type Moto, startMoto, testEnv } from '../harness/moto.ts';
import { DEMO_SCENARIO, seedGhesScenario } from '../harness/scenarios.ts';

const ACTION = new URL('../../dist/action.mjs', import.meta.url).pathname;
let moto: Moto;
beforeAll(async () => (moto = await startMoto()));
afterAll(async () => moto?.stop());

test('action: runs the check, writes the job summary, annotations and outputs; exit code is the check\'s', async () => {
  const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
  const dir = mkdtempSync(join(tmpdir(), 'action-'));
  const summary = join(dir, 'summary.md');
  const output = join(dir, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const run = spawnSync(process.execPath, [ACTION], {
    cwd: dir,
    encoding: 'utf8',
    env: testEnv(moto.endpoint, {
      AWS_ACCESS_KEY_ID: s.accessKeyId,
      AWS_SECRET_ACCESS_KEY: s.secretAccessKey,
      INPUT_BUCKET: s.bucket,
      'INPUT_SERVICE-URL': s.serviceUrl,
      'INPUT_ACTIONS-BUCKET': s.actionsBucket,
      'INPUT_OUTPUT-DIR': 'out',
      INPUT_FORMAT: 'json,junit,markdown,html',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
    }),
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(readFileSync(summary, 'utf8'), /^# packages-preflight report \(ghes-s3\)\n\n\*\*Verdict: NON-COMPLIANT/);
  assert.match(run.stdout, /^::error title=service-url \[region\]::/m);
  assert.equal(readFileSync(output, 'utf8'), `verdict=non-compliant\nreport-path=${join(dir, 'out', 'packages-preflight.json')}\nexit-code=1\nhtml-file=${join(dir, 'out', 'packages-preflight.html')}\n`);
  assert.ok(!run.stdout.includes(s.secretAccessKey) && !readFileSync(summary, 'utf8').includes(s.secretAccessKey));
});

test('action: bad input exits 3 and reports verdict=error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'action-bad-'));
  const output = join(dir, 'output.txt');
  writeFileSync(output, '');
  const run = spawnSync(process.execPath, [ACTION], { cwd: dir, encoding: 'utf8', env: testEnv(moto.endpoint, { INPUT_BUCKET: 'Not_A_Bucket', 'INPUT_SERVICE-URL': 'https://s3.us-east-1.amazonaws.com', GITHUB_OUTPUT: output }) });
  assert.equal(run.status, 3);
  assert.match(run.stderr, /--bucket/);
  assert.equal(readFileSync(output, 'utf8'), 'verdict=error\nreport-path=\nexit-code=3\nhtml-file=\n');
});
