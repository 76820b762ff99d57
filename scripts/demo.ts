// `npm run demo`: the main job against a seeded emulator. Starts the moto server, creates a
// realistic GHES Packages setup with a few deliberate problems, runs `packages-preflight check`
// with the GHES user's own access key, and leaves the reports in reports/.
// Extra arguments are passed to `check` (e.g. `npm run demo -- --format markdown`).

import { spawnSync } from 'node:child_process';
import { startMoto, testEnv } from '../test/harness/moto.ts';
import { seedGhesScenario, DEMO_SCENARIO } from '../test/harness/scenarios.ts';

const moto = await startMoto();
let code: number;
try {
  const seeded = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
  console.log(`Seeded the emulator at ${moto.endpoint}: bucket ${seeded.bucket} (${seeded.region}), Actions bucket ${seeded.actionsBucket}, IAM user ${seeded.userArn}.`);
  console.log(`Deliberate problems: ${DEMO_SCENARIO.problems.join('; ')}.\n`);
  const args = [
    'src/cli/main.ts',
    'check',
    '--bucket', seeded.bucket,
    '--service-url', seeded.serviceUrl,
    '--actions-bucket', seeded.actionsBucket,
    '--output-dir', 'reports',
    ...process.argv.slice(2),
  ];
  console.log(`$ packages-preflight ${args.slice(1).join(' ')}\n`);
  const run = spawnSync(process.execPath, args, {
    stdio: 'inherit',
    env: testEnv(moto.endpoint, { AWS_ACCESS_KEY_ID: seeded.accessKeyId, AWS_SECRET_ACCESS_KEY: seeded.secretAccessKey }),
  });
  code = run.status ?? 2;
  if (code === 0 || code === 1) {
    console.log(`\nThe check exited ${code} (${code === 1 ? 'non-compliant: the seeded problems were found' : 'compliant'}). Open reports/packages-preflight.md for the auditor's view.`);
    code = 0;
  }
} catch (e) {
  console.error(`demo: ${(e as Error).message}`);
  code = 2;
} finally {
  await moto.stop();
}
process.exitCode = code;
