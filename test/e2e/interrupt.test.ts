// Ctrl-C, SIGTERM and --timeout through the built CLI. The emulator is slowed down by the fault
// proxy (latencyMs on every request) so a signal lands in the middle of the run. Then: no new
// request reaches the endpoint, requests on the wire are abandoned, the reports are written with
// `interrupted: true` and the unfinished checks as `error`, and the exit code is 2 (1 when a check
// had already failed: fail beats incomplete, as it beats error). A second signal before the reports
// are written exits at once with 130 and writes nothing.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, test } from 'vitest';
import { type FaultProxy, startFaultProxy } from '../harness/fault-proxy.ts';
import { type Moto, startMoto } from '../harness/moto.ts';
import { DEMO_SCENARIO, type Seeded, seedGhesScenario } from '../harness/scenarios.ts';
import { runControl } from '../../src/cli/common.ts';
import { type CliRun, runCli } from './cli.ts';
import { assertReadOnly } from './read-only.ts';
import { stubExit } from '../harness/stub-exit.ts';
import { DEFAULT_FORMATS } from '../../src/report/formats.ts';
import { REPORT_FILES } from '../../src/report/write.ts';

const LATENCY_MS = 400;

describe('interrupts: Ctrl-C, SIGTERM and --timeout', () => {
  let moto: Moto;
  let proxy: FaultProxy;
  let s: Seeded;

  beforeAll(async () => {
    moto = await startMoto();
    s = await seedGhesScenario(moto.endpoint, { ...DEMO_SCENARIO, bucket: 'int-packages', actionsBucket: 'int-actions', userName: 'int-user' });
  });
  // A fresh proxy per test: the requests an interrupted run abandoned must not leave half-used
  // upstream connections behind for the next test.
  beforeEach(async () => {
    proxy = await startFaultProxy(moto.endpoint, { latencyMs: LATENCY_MS });
  });
  afterEach(async () => {
    await proxy?.stop();
  });
  afterAll(async () => {
    await moto?.stop();
  });

  const args = () => ['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket];
  const env = () => ({ AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey });

  /** Runs the CLI and sends `signals` once `afterRequests` requests have reached the endpoint; reports what the endpoint saw. */
  async function interrupted(signals: NodeJS.Signals[], afterRequests = 3, extra: string[] = [], settleMs = 0) {
    proxy.requests.splice(0);
    let signalledAt = 0;
    let seenAtSignal = 0;
    let seenShortlyAfter = 0;
    let exitedAt = 0;
    let observer: Promise<void> = Promise.resolve();
    const run: CliRun = await runCli([...args(), ...extra], {
      endpoint: proxy.endpoint,
      env: env(),
      onSpawn: (child: ChildProcess) => {
        child.once('exit', () => (exitedAt = performance.now()));
        observer = (async () => {
          while (proxy.requests.length < afterRequests && child.exitCode === null) await sleep(5);
          if (settleMs) await sleep(settleMs);
          assert.equal(child.exitCode, null, 'the run was still going when the signal was due');
          seenAtSignal = proxy.requests.length;
          signalledAt = performance.now();
          for (const sig of signals) child.kill(sig);
          // A request the client sent just before the signal may reach the proxy a moment later.
          await sleep(50);
          seenShortlyAfter = proxy.requests.length;
          // Then nothing more: watch the endpoint for another LATENCY_MS after the exit.
          await sleep(LATENCY_MS);
        })();
      },
    });
    await observer;
    return { run, seenAtSignal, seenShortlyAfter, seenAtEnd: proxy.requests.length, exitAfterMs: exitedAt - signalledAt };
  }

  /** `failedBefore`: a check had already failed when the signal came; fail beats incomplete (exit 1), as for errors. */
  function assertInterruptedReport(run: CliRun, signal: string, failedBefore = false) {
    const code = failedBefore ? 1 : 2;
    assert.equal(run.code, code, `exit code\n${run.stdout}\n${run.stderr}`);
    assert.match(run.stderr, new RegExp(`${signal} received: stopping, writing what was gathered`));
    assert.doesNotMatch(run.stderr, /\n\s+at /, 'no stack trace');
    const json = run.json;
    assert.ok(json, `the JSON report was written: ${Object.keys(run.files).join(', ')}`);
    assert.ok(run.junit && run.markdown, 'all three reports were written');
    assert.equal(json.interrupted, true);
    assert.equal(json.verdict, failedBefore ? 'non-compliant' : 'incomplete');
    assert.equal(json.exitCode, code);
    assert.equal(json.results.some((r) => r.status === 'fail'), failedBefore);
    const unfinished = json.results.filter((r) => r.evidence.interrupted === true || r.evidence.code === 'Interrupted');
    assert.ok(unfinished.length > 0, 'some checks were cut short');
    assert.ok(unfinished.every((r) => r.status === 'error'), 'unfinished checks are errors');
    assert.ok(json.results.every((r) => r.status !== 'pass' || !r.evidence.interrupted));
    assert.match(run.markdown!, /interrupted/i, 'the Markdown says the run was interrupted');
    assertReadOnly(json);
  }

  test('SIGINT mid-run: no new request, reports marked interrupted with the unfinished checks as errors, exit 2', async () => {
    // Requests on the wire are abandoned, not waited for. Each answer here takes ABANDONED_LATENCY_MS,
    // so a run that waited for the ones in flight would exit no sooner than that; the margin is wide
    // enough that a loaded machine's slow start-up and report writing do not decide the test.
    const ABANDONED_LATENCY_MS = 20_000;
    await proxy.stop();
    proxy = await startFaultProxy(moto.endpoint, { latencyMs: ABANDONED_LATENCY_MS });
    const { run, seenAtSignal, seenShortlyAfter, seenAtEnd, exitAfterMs } = await interrupted(['SIGINT']);
    assertInterruptedReport(run, 'SIGINT');
    assert.equal(seenAtEnd, seenShortlyAfter, `no request reached the endpoint after the signal (at signal ${seenAtSignal}, +100 ms ${seenShortlyAfter}, at exit ${seenAtEnd})`);
    assert.ok(exitAfterMs < ABANDONED_LATENCY_MS / 2, `exited ${Math.round(exitAfterMs)} ms after the signal, as if it waited for the requests in flight`);
  });

  test('SIGTERM (a scheduler stopping the nightly job) behaves the same way', async () => {
    const { run, seenShortlyAfter, seenAtEnd } = await interrupted(['SIGTERM'], 2);
    assertInterruptedReport(run, 'SIGTERM');
    assert.equal(seenAtEnd, seenShortlyAfter);
  });

  test('a failure found before the signal stays in the report: interrupted, and exit 1 (fail beats incomplete)', async () => {
    // The service-url region finding needs only HeadBucket, one of the first requests: let its
    // answer arrive (one LATENCY_MS after the request), then interrupt.
    const { run } = await interrupted(['SIGINT'], 3, [], LATENCY_MS + 300);
    assertInterruptedReport(run, 'SIGINT', true);
    assert.ok(run.json!.results.some((r) => r.check === 'service-url' && r.subject === 'region' && r.status === 'fail'), `the demo's early failure is kept:\n${run.stdout}`);
  });

  test('two signals in a row: either 130 with no report at all, or (the first already wrote them) 2 with complete reports', async () => {
    // SIGINT then SIGTERM: two identical pending signals may be merged into one by the OS. The first
    // signal abandons the requests on the wire, so the reports are usually written before the second
    // is handled; a second signal can only make the run quit, never leave a partial report behind.
    const { run } = await interrupted(['SIGINT', 'SIGTERM']);
    if (run.code === 130) {
      assert.match(run.stderr, /again: exiting without writing reports/);
      assert.deepEqual(Object.keys(run.files), [], 'no report, not even a partial one');
    } else {
      // Which of the two the child handles first is up to the OS.
      assertInterruptedReport(run, '(?:SIGINT|SIGTERM)');
      assert.deepEqual(Object.keys(run.files).sort(), DEFAULT_FORMATS.map((f) => REPORT_FILES[f]).sort(), 'every report, no temp file left');
    }
  });

  test('runControl: the first signal aborts the run, a second one exits at once with 130', () => {
    const stub = stubExit();
    const { exits } = stub;
    const control = runControl();
    // Call runControl's own listeners: process.emit would also reach the moto harness's exit hook,
    // which stops the emulator on SIGINT.
    const onSignal = (sig: NodeJS.Signals) => (process.listeners(sig).at(-1) as (s: NodeJS.Signals) => void)(sig);
    try {
      onSignal('SIGINT');
      assert.equal(control.signal.aborted, true);
      assert.deepEqual(exits, []);
      assert.throws(() => onSignal('SIGTERM'), /exit 130/);
      assert.deepEqual(exits, [130]);
    } finally {
      control.dispose();
      stub.restore();
    }
    assert.match(stub.stderr.join(''), /SIGINT received: stopping[\s\S]*SIGTERM again: exiting without writing reports/);
  });

  test('--timeout: the overall limit stops the run like a signal, with its own message', async () => {
    proxy.requests.splice(0);
    const started = performance.now();
    const run = await runCli([...args(), '--timeout', '1'], { endpoint: proxy.endpoint, env: env() });
    const elapsed = performance.now() - started;
    // The demo's service-url region failure may already be known after 1 s: then exit 1 (fail beats incomplete).
    const failed = Boolean(run.json?.results.some((r) => r.status === 'fail'));
    assert.equal(run.code, failed ? 1 : 2, run.stderr);
    assert.match(run.stderr, /--timeout of 1 s reached: stopping, writing what was gathered/);
    assert.equal(run.json?.interrupted, true);
    assert.equal(run.json?.verdict, failed ? 'non-compliant' : 'incomplete');
    assert.ok(run.json!.results.some((r) => r.status === 'error' && (r.evidence.interrupted === true || r.evidence.code === 'Interrupted')));
    assert.ok(elapsed < 6000, `the run ended soon after its 1 s limit (${Math.round(elapsed)} ms including start-up)`);
    assertReadOnly(run.json);
  });

  test('without a signal the same slow run completes normally (the control for the tests above)', async () => {
    const run = await runCli([...args(), '--format', 'json'], { endpoint: proxy.endpoint, env: env() });
    assert.equal(run.code, 1, `${run.stderr}\n${run.json?.results.filter((r) => r.status === 'error').map((r) => `${r.check}: ${r.message}`).join('\n')}`);
    assert.equal(run.json?.interrupted, undefined);
    assert.ok(!run.json!.results.some((r) => r.evidence.interrupted === true));
    assertReadOnly(run.json);
  });
});
