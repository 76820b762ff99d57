// Kept for habit and for scripts that call it: `node scripts/test.ts [files] [vitest flags]` is
// `vitest run [files] [flags]`. The test environment (dummy credentials, emulators) comes from
// vitest.config.ts and test/harness/global-setup.ts, so `npx vitest run test/unit/x.test.ts`
// and `npx vitest` (watch mode) need no wrapper.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createRequire } from 'node:module';

// vitest's package exports no path to its CLI: take it next to its package.json.
const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs');
const child = spawn(process.execPath, [vitest, 'run', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => child.kill(sig));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 1)));
