// Test entry point (`npm test` runs it after typecheck, lint and build):
//   node scripts/test.ts                         all of test/**/*.test.ts
//   node scripts/test.ts test/unit/foo.test.ts   only these files (globs allowed)
//   node scripts/test.ts --test-name-pattern=x   extra node --test flags pass through
// Installs the AWS emulator once up front (so parallel test files don't race to install it) and
// runs the tests in an environment that can never reach real AWS: fake static credentials, no
// profile, no config/credentials files, no instance metadata.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT, ensureMotoInstalled, isolatedAwsEnv } from '../test/harness/moto.ts';

const DEFAULT_GLOB = 'test/**/*.test.ts';

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('-'));
const files = args
  .filter((a) => !a.startsWith('-'))
  .map((a) => path.relative(REPO_ROOT, path.resolve(a)) || '.');

try {
  const t0 = Date.now();
  const server = await ensureMotoInstalled();
  const ms = Date.now() - t0;
  if (ms > 2000) console.log(`moto installed in ${(ms / 1000).toFixed(1)} s: ${server}`);
} catch (err) {
  console.error(`scripts/test.ts: ${(err as Error).message}`);
  process.exit(1);
}

const child = spawn(
  process.execPath,
  ['--test', '--test-concurrency=2', '--test-reporter=spec', ...flags, ...(files.length ? files : [DEFAULT_GLOB])],
  { cwd: REPO_ROOT, stdio: 'inherit', env: isolatedAwsEnv(realAwsPassthrough()) },
);

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => { child.kill(sig); });
}

child.on('error', (err) => {
  console.error(`scripts/test.ts: could not run ${process.execPath}: ${err.message}`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signalNumber(signal) ?? 0) : 1));
});

/**
 * The opt-in real-AWS suite (PREFLIGHT_E2E_AWS=1) needs the user's credentials; every other test
 * must never see them. They travel under PREFLIGHT_REAL_* names that only test/e2e/real-aws reads.
 */
function realAwsPassthrough(): Record<string, string> {
  if (process.env.PREFLIGHT_E2E_AWS !== '1') return {};
  const keep = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE'];
  return Object.fromEntries(keep.filter((k) => process.env[k]).map((k) => [`PREFLIGHT_REAL_${k}`, process.env[k] as string]));
}

function signalNumber(signal: NodeJS.Signals): number | undefined {
  const map: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return map[signal];
}
