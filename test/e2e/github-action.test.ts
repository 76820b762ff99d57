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
      INPUT_FORMAT: 'json,junit,markdown,html,sarif',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
    }),
  });
  assert.equal(run.status, 1, run.stderr);
  assert.match(readFileSync(summary, 'utf8'), /^# packages-preflight report \(ghes-s3\)\n\n\*\*Verdict: NON-COMPLIANT/);
  assert.match(run.stdout, /^::error title=service-url \[region\]::/m);
  assert.equal(readFileSync(output, 'utf8'), `verdict=non-compliant\nreport-path=${join(dir, 'out', 'packages-preflight.json')}\njunit-path=${join(dir, 'out', 'packages-preflight.junit.xml')}\nsarif-file=${join(dir, 'out', 'packages-preflight.sarif')}\nhtml-file=${join(dir, 'out', 'packages-preflight.html')}\nexit-code=1\n`);
  assert.ok(!run.stdout.includes(s.secretAccessKey) && !readFileSync(summary, 'utf8').includes(s.secretAccessKey));
});

test('action: bad input exits 3 and reports verdict=error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'action-bad-'));
  const output = join(dir, 'output.txt');
  writeFileSync(output, '');
  const run = spawnSync(process.execPath, [ACTION], { cwd: dir, encoding: 'utf8', env: testEnv(moto.endpoint, { INPUT_BUCKET: 'Not_A_Bucket', 'INPUT_SERVICE-URL': 'https://s3.us-east-1.amazonaws.com', GITHUB_OUTPUT: output }) });
  assert.equal(run.status, 3);
  assert.match(run.stderr, /--bucket/);
  assert.equal(readFileSync(output, 'utf8'), 'verdict=error\nreport-path=\njunit-path=\nsarif-file=\nhtml-file=\nexit-code=3\n');
});

/** Runs the Action on the demo scenario with extra inputs; returns the step's exit code, stdout, summary and outputs. */
async function runAction(inputs: Record<string, string>) {
  await moto.reset();
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
      'INPUT_OUTPUT-DIR': 'out',
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      ...inputs,
    }),
  });
  return { run, dir, summary: readFileSync(summary, 'utf8'), outputs: Object.fromEntries(readFileSync(output, 'utf8').trim().split('\n').map((l) => l.split(/=(.*)/s).slice(0, 2))) };
}

test('action: a format without json still gives the verdict, the summary and the JUnit path', async () => {
  const { run, dir, summary, outputs } = await runAction({ INPUT_FORMAT: 'junit' });
  assert.equal(run.status, 1, run.stderr);
  assert.equal(outputs.verdict, 'non-compliant');
  assert.equal(outputs['junit-path'], join(dir, 'out', 'packages-preflight.junit.xml'));
  assert.match(summary, /\*\*Verdict: NON-COMPLIANT/);
});

test('action: soft-fail lets the step pass on a failed check and keeps the real exit code in the outputs; no junit-path without junit', async () => {
  const { run, outputs } = await runAction({ 'INPUT_SOFT-FAIL': 'true', INPUT_FORMAT: 'json,markdown' });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(outputs['exit-code'], '1');
  assert.equal(outputs.verdict, 'non-compliant');
  assert.equal(outputs['junit-path'], '');
  assert.equal(outputs['sarif-file'], '', 'no sarif-file without sarif');
  assert.equal(outputs['html-file'], '', 'no html-file without html');
  assert.match(run.stdout, /soft-fail: the check exited 1/);
  assert.match(run.stdout, /^::error /m, 'annotations still written');
});

test('action: endpoint-url and probe inputs reach the CLI (declared in action.yml)', async () => {
  const { run, dir } = await runAction({ 'INPUT_ENDPOINT-URL': moto.endpoint, INPUT_PROBE: 'true' });
  assert.equal(run.status, 1, run.stderr);
  const report = JSON.parse(readFileSync(join(dir, 'out', 'packages-preflight.json'), 'utf8')) as { results: Array<{ check: string }> };
  assert.ok(report.results.some((r) => r.check === 'probe'), 'the probe ran');
});
