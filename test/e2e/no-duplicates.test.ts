// No AWS request is made twice: every fact is fetched once per target (and once per credential
// source in a fleet). Runs the ghes-s3 pack in-process against the emulator for the standard
// scenarios and reads two logs: the report's apiCalls (operation + resource) and the exact input
// of every request the SDK was asked to send (a capturing middleware). A regression (a fact read
// outside the cache, a cache key that misses, a shared fact fetched per target) fails here.
//
// No allowance: the owner question (HeadBucket with ExpectedBucketOwner) is logged under its own
// resource name, and iam-simulation and least-privilege share one simulator call.

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AwsSession } from '../../src/aws/session.ts';
import type { FleetTarget } from '../../src/config/fleet-options.ts';
import type { ApiCall } from '../../src/model.ts';
import { runFleet } from '../../src/run/fleet.ts';
import { type GhesS3TargetOptions, runGhesS3Target } from '../../src/run/ghes-s3.ts';
import { type Moto, sdkConfig, startMoto } from '../harness/moto.ts';
import { DEMO_SCENARIO, ghesUserPolicy, type Scenario, type Seeded, seedGhesScenario } from '../harness/scenarios.ts';

const GOOD: Scenario = {
  bucket: 'nodup-packages',
  region: 'us-west-2',
  serviceUrl: 'https://s3.us-west-2.amazonaws.com',
  actionsBucket: 'nodup-actions',
  userName: 'ghes-packages',
  userPolicies: { storage: ghesUserPolicy('nodup-packages') },
  blockPublicAccess: true,
  bucketOwnerEnforced: true,
  bucketPolicy: {
    Version: '2012-10-17',
    Statement: [{ Sid: 'DenyInsecureTransport', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: ['arn:aws:s3:::nodup-packages', 'arn:aws:s3:::nodup-packages/*'], Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  },
  problems: [],
};
const DEMO: Scenario = { ...DEMO_SCENARIO, bucket: 'nodup-demo', actionsBucket: 'nodup-demo-actions', userName: 'ghes-demo', userPolicies: { storage: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::nodup-demo' }] } } };

/** Different questions under one operation + resource: none any more (see the header). */
const DIFFERENT_QUESTIONS: Record<string, number> = {};

interface Logged {
  calls: ApiCall[];
  /** Exact inputs, when captured. */
  requests?: string[];
}

interface CapturingClient {
  middlewareStack: { add: (mw: unknown, options: { step: string; name: string; priority?: string }) => void };
}

/** A session whose every request input is also recorded (operation + JSON input). */
function capturingSession(endpoint: string, credentials: { accessKeyId: string; secretAccessKey: string }) {
  const session = new AwsSession({ endpointUrl: endpoint, credentials });
  const requests: string[] = [];
  for (const client of [session.s3(), session.s3control(), session.iam(), session.sts()] as unknown as CapturingClient[]) {
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: unknown }) => {
        requests.push(`${(context.commandName ?? '').replace(/Command$/, '')} ${JSON.stringify(args.input)}`);
        return next(args);
      },
      { step: 'initialize', name: 'testCapture', priority: 'low' },
    );
  }
  return { session, requests };
}

function repeated(keys: string[]): string[] {
  const seen = new Map<string, number>();
  for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}

function assertNoDuplicates(label: string, log: Logged): void {
  assert.ok(log.calls.length > 0, `${label}: no AWS call logged`);
  assert.deepEqual(repeated(log.requests ?? []), [], `${label}: identical requests`);
  const byResource = repeated(log.calls.map((c) => `${c.operation} ${c.resource}`)).filter((r) => {
    const [operation] = r.split(' ');
    return !(operation in DIFFERENT_QUESTIONS && Number(r.split('×')[1]) <= DIFFERENT_QUESTIONS[operation]);
  });
  assert.deepEqual(byResource, [], `${label}: the same operation on the same resource more often than the questions it answers`);
}

describe('no duplicate AWS calls (emulator, in-process)', () => {
  let moto: Moto;
  let good: Seeded;
  let demo: Seeded;
  beforeAll(async () => {
    moto = await startMoto();
    good = await seedGhesScenario(moto.endpoint, GOOD);
    demo = await seedGhesScenario(moto.endpoint, DEMO);
  });
  afterAll(async () => {
    await moto?.stop();
  });

  async function one(seeded: Seeded, extra: Partial<GhesS3TargetOptions> = {}, credentials = { accessKeyId: seeded.accessKeyId, secretAccessKey: seeded.secretAccessKey }): Promise<Logged> {
    const { session, requests } = capturingSession(moto.endpoint, credentials);
    const report = await runGhesS3Target({ bucket: seeded.bucket, serviceUrl: seeded.serviceUrl, actionsBucket: seeded.actionsBucket, ...extra }, { session });
    return { calls: report.apiCalls, requests };
  }

  const scenarios: Array<[string, () => Promise<Logged>]> = [
    ['compliant setup, the GHES key (engine auto: simulator, then local fallback)', () => one(good)],
    ['compliant setup, --engine local', () => one(good, { engine: 'local' })],
    ['demo setup (non-compliant), the GHES key', () => one(demo)],
    ['auditor mode: another identity, --principal-arn', () => one(good, { principalArn: good.userArn }, sdkConfig(moto.endpoint).credentials)],
    ['a bucket that does not exist', () => one(good, { bucket: 'nodup-no-such-bucket' })],
  ];
  for (const [label, run] of scenarios) {
    test(label, async () => assertNoDuplicates(label, await run()));
  }

  test('fleet: targets sharing credentials and a principal fetch the shared facts once in all', async () => {
    const targets: FleetTarget[] = [good, demo, good].map((s, i) => ({
      name: `t${i}`,
      index: i,
      options: { bucket: i === 2 ? 'nodup-no-such-bucket' : s.bucket, serviceUrl: s.serviceUrl, principalArn: good.userArn, engine: 'local' },
      credentials: {},
    }));
    const reports = await runFleet(targets, { endpointUrl: moto.endpoint, defaultCredentials: sdkConfig(moto.endpoint).credentials, concurrency: 3 });
    const all = reports.flatMap((r) => r.apiCalls);
    const count = (op: string) => all.filter((c) => c.operation === op).length;
    assert.equal(count('GetCallerIdentity'), 1);
    assert.equal(count('GetAccountAuthorizationDetails'), 1);
    assert.equal(all.filter((c) => c.resource.startsWith('account/')).length, 1, 'account-level Block Public Access once');
    for (const r of reports) assertNoDuplicates(`fleet target ${r.name}`, { calls: r.apiCalls });
    // Across the fleet, per bucket: never the same call twice.
    assert.deepEqual(repeated(all.map((c) => `${c.operation} ${c.resource}`)), []);
  });
});
