// vitest globalSetup of the emulator project (runs once, in the main vitest process, before any
// emulator test file): installs moto (and LocalStack) once, so parallel files never race to
// install; starts one moto per vitest worker, because tests reset moto before each test and files
// run in parallel (a worker runs one file at a time, so its own moto is never reset under another
// file's feet); starts one shared LocalStack, whose tests isolate themselves instead (a fresh
// account per test and bucket names unique to the test, see backends.ts). Endpoints reach the
// tests through vitest's provide/inject.
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { type Moto, ensureMotoInstalled, startMoto } from './moto.ts';
import { LOCALSTACK_SERVICES, LOCALSTACK_VERSION, type LocalStack, LocalStackUnavailable, startLocalStack } from './localstack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** One moto endpoint per worker, indexed by VITEST_POOL_ID - 1. */
    motoEndpoints: string[];
    /** The shared LocalStack's endpoint, or '' when it cannot run here (see localstackSkip). */
    localstackEndpoint: string;
    /** Why the LocalStack tests skip ('' when LocalStack runs). */
    localstackSkip: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const workers = Math.max(1, Number(project.vitest.config.maxWorkers) || 1);
  const t0 = Date.now();
  // The two installs (first run only) and the starts overlap: LocalStack's takes the longest.
  const localstack = startSharedLocalStack();
  let motos: Moto[];
  try {
    await ensureMotoInstalled();
    motos = await Promise.all(Array.from({ length: workers }, () => startMoto({ timeoutMs: 60_000 })));
  } catch (err) {
    await localstack.then((ls) => ls.instance?.stop(), () => undefined);
    throw err;
  }
  const ls = await localstack;
  project.provide('motoEndpoints', motos.map((m) => m.endpoint));
  project.provide('localstackEndpoint', ls.instance?.endpoint ?? '');
  project.provide('localstackSkip', ls.skip ?? '');
  const what = [`${motos.length} moto server(s)`, ls.instance ? (ls.instance.pid ? `LocalStack (host mode, pid ${ls.instance.pid})` : 'LocalStack (testcontainers)') : undefined].filter(Boolean).join(' and ');
  console.log(`emulators: ${what} ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (ls.skip) console.log(`LocalStack tests skip: ${ls.skip}`);
  return async () => {
    await Promise.all([...motos.map((m) => m.stop()), ls.instance?.stop()]);
  };
}

async function startSharedLocalStack(): Promise<{ instance?: LocalStack; skip?: string }> {
  if (process.env.PREFLIGHT_LOCALSTACK === '0') return { skip: 'PREFLIGHT_LOCALSTACK=0: LocalStack turned off for this run' };
  try {
    // With a Docker engine, testcontainers starts the image (same version); without one, host mode.
    if (dockerAnswers()) return { instance: await startLocalStackContainer() };
    return { instance: await startLocalStack() };
  } catch (err) {
    // CI (.ci/run) demands LocalStack: there a missing backend is a failure, not a skip. Elsewhere
    // no Python 3.11, or an install that failed (no PyPI), skips its tests with the reason.
    if (process.env.PREFLIGHT_REQUIRE_LOCALSTACK === '1') throw err;
    const why = err instanceof LocalStackUnavailable ? err.message : `LocalStack could not be installed or started: ${(err as Error).message.split('\n')[0]}`;
    return { skip: why };
  }
}

function dockerAnswers(): boolean {
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 10_000 });
  return !info.error && info.status === 0;
}

async function startLocalStackContainer(): Promise<LocalStack> {
  const { GenericContainer, Wait } = await import('testcontainers');
  const container = await new GenericContainer(`localstack/localstack:${LOCALSTACK_VERSION}`)
    .withEnvironment({ SERVICES: LOCALSTACK_SERVICES.join(','), EAGER_SERVICE_LOADING: '1' })
    .withExposedPorts(4566)
    .withWaitStrategy(Wait.forLogMessage('Ready.'))
    .start();
  return { endpoint: `http://127.0.0.1:${container.getMappedPort(4566)}`, pid: 0, logTail: () => '(container logs: docker logs)', stop: async () => { await container.stop(); } };
}
