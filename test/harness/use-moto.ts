// The moto server of this vitest worker (started by test/harness/global-setup.ts), reset before
// each test: the hooks every emulator test file needs, registered in the calling describe() (or at
// top level). Outside the emulator project (no endpoints provided) a moto is started for the file.

import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { type Moto, startMoto } from './moto.ts';

/** This worker's moto endpoint from globalSetup, or undefined when none was provided. */
export function workerMotoEndpoint(): string | undefined {
  const endpoints = inject('motoEndpoints') ?? [];
  if (endpoints.length === 0) return undefined;
  const pool = Number(process.env.VITEST_POOL_ID ?? '1');
  return endpoints[(pool - 1) % endpoints.length];
}

/** A handle on a moto started elsewhere: reset and IAM enforcement over its HTTP API; stop() is refused. */
export function attachMoto(endpoint: string): Moto {
  const api = async (pathname: string, init?: RequestInit): Promise<void> => {
    const res = await fetch(endpoint + pathname, init);
    const body = await res.text();
    if (!res.ok) throw new Error(`moto ${init?.method ?? 'GET'} ${pathname} -> HTTP ${res.status}: ${body.slice(0, 300)}`);
  };
  const enforceIam = (on: boolean) => api('/moto-api/reset-auth', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: on ? '0' : 'inf' });
  return {
    endpoint,
    port: Number(new URL(endpoint).port),
    reset: async () => {
      await api('/moto-api/reset', { method: 'POST' });
      await enforceIam(false);
    },
    enforceIam,
    logTail: () => '(the shared moto logs into the vitest main process; run the file alone with startMoto() for its log)',
    stop: async () => {
      throw new Error('the shared per-worker moto is stopped by globalSetup, not by a test');
    },
  };
}

/** Returns a handle whose members forward to the worker's server (available inside tests and hooks). */
export function useMoto(): Moto {
  let moto: Moto | undefined;
  let own = false;
  beforeAll(async () => {
    const endpoint = workerMotoEndpoint();
    if (endpoint) {
      moto = attachMoto(endpoint);
      // The worker's moto served the files this worker ran before: a file's own beforeAll (seeding
      // before any test's reset) must start on a clean slate too, or a user seeded by an earlier
      // file already exists (EntityAlreadyExists), depending on which files share the worker.
      await moto.reset();
    } else {
      moto = await startMoto();
      own = true;
    }
  });
  afterAll(async () => {
    if (own) await moto?.stop();
  });
  beforeEach(async () => {
    await moto?.reset();
  });
  const live = (): Moto => {
    if (!moto) throw new Error('useMoto(): the emulator is not running (use it inside tests, after the beforeAll hook)');
    return moto;
  };
  return {
    get endpoint() {
      return live().endpoint;
    },
    get port() {
      return live().port;
    },
    reset: () => live().reset(),
    enforceIam: (on: boolean) => live().enforceIam(on),
    logTail: () => live().logTail(),
    stop: () => live().stop(),
  };
}
