// One moto server per test file, reset before each test, stopped at the end: the hooks every
// emulator test file needs, registered in the calling describe() (or at top level).

import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type Moto, startMoto } from './moto.ts';

/** Returns a handle whose members forward to the running server (started in `before`). */
export function useMoto(): Moto {
  let moto: Moto | undefined;
  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto?.reset();
  });
  const live = (): Moto => {
    if (!moto) throw new Error('useMoto(): the emulator is not running (use it inside tests, after the before hook)');
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
