// `report export --security-hub`: the report's ASFF findings imported into Security Hub against the
// emulator (moto implements BatchImportFindings and GetFindings), in batches of 100, with the
// caller's account and default product; re-importing updates instead of duplicating. Refusals
// (FailedFindings, AccessDenied) are shown with a recorded client.

import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { BatchImportFindingsCommand, GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { exportToSecurityHub } from '../../src/aws/security-hub.ts';
import { AwsSession } from '../../src/aws/session.ts';
import type { Result } from '../../src/model.ts';
import { buildReport, type Report } from '../../src/report/report.ts';
import { useMoto } from '../harness/use-moto.ts';
import { runCli } from './cli.ts';

function report(count: number): Report {
  const results: Result[] = Array.from({ length: count }, (_, i) => ({
    check: i % 2 ? 'bucket-acl' : 'bucket-policy',
    subject: `subject-${i}`,
    status: i % 3 === 0 ? 'pass' : 'fail',
    severity: 'high',
    title: 'A title',
    message: `message ${i}`,
    evidence: { i },
    remediation: 'Fix it.',
    references: [],
    durationMs: 1,
  }));
  return buildReport({ tool: { name: 'packages-preflight', version: '0.1.0' }, pack: 'ghes-s3', target: { bucket: 'ghes-packages', region: 'eu-west-1', account: '111122223333' }, startedAt: new Date(0), finishedAt: new Date(1000), results, apiCalls: [] });
}

function saved(r: Report): string {
  const file = join(mkdtempSync(join(tmpdir(), 'preflight-export-')), 'packages-preflight.json');
  writeFileSync(file, JSON.stringify(r));
  return file;
}

describe('report export --security-hub (emulator)', () => {
  const moto = useMoto();

  async function allFindings(): Promise<Array<Record<string, unknown>>> {
    const client = new SecurityHubClient({ endpoint: moto.endpoint, region: 'us-east-1' });
    const found: Array<Record<string, unknown>> = [];
    let NextToken: string | undefined;
    do {
      const page = await client.send(new GetFindingsCommand({ MaxResults: 100, NextToken }));
      found.push(...((page.Findings ?? []) as unknown as Array<Record<string, unknown>>));
      NextToken = page.NextToken;
    } while (NextToken);
    return found;
  }

  test('imports every finding in batches of 100 under the caller\'s account; a second export updates them', async () => {
    const file = saved(report(250));
    const run = await runCli(['report', 'export', '--from', file, '--security-hub', '--region', 'us-east-1'], { endpoint: moto.endpoint, source: true, noOutputDir: true });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /imported 250 of 250 findings in 3 BatchImportFindings call\(s\)/);
    const findings = await allFindings();
    assert.equal(findings.length, 250);
    const account = /account (\d{12})/.exec(run.stdout)?.[1];
    assert.ok(account && findings.every((f) => f.AwsAccountId === account && f.ProductArn === `arn:aws:securityhub:us-east-1:${account}:product/${account}/default`));
    const again = await runCli(['report', 'export', '--from', file, '--security-hub', '--region', 'us-east-1'], { endpoint: moto.endpoint, source: true, noOutputDir: true });
    assert.equal(again.code, 0, again.stderr);
    assert.equal((await allFindings()).length, 250, 'stable ids: re-importing updates, never duplicates');
  });

  test('the write is never implied: without --security-hub or a region it is bad input and nothing is sent', async () => {
    const file = saved(report(1));
    const noDestination = await runCli(['report', 'export', '--from', file, '--region', 'us-east-1'], { endpoint: moto.endpoint, source: true, noOutputDir: true });
    assert.equal(noDestination.code, 3);
    assert.match(noDestination.stderr, /name the destination: --security-hub/);
    const noRegion = await runCli(['report', 'export', '--from', file, '--security-hub'], { endpoint: moto.endpoint, source: true, noOutputDir: true, env: { AWS_REGION: '' } });
    assert.equal(noRegion.code, 3, noRegion.stderr);
    assert.match(noRegion.stderr, /--region is required/);
    assert.equal((await allFindings()).length, 0);
  });
});

describe('report export --security-hub (recorded refusals)', () => {
  // Mocked only while these tests run: a class-wide mock would also catch the emulator tests' client.
  let hub: ReturnType<typeof mockClient>;
  let sts: ReturnType<typeof mockClient>;
  beforeAll(() => {
    hub = mockClient(SecurityHubClient);
    sts = mockClient(STSClient);
    sts.on(GetCallerIdentityCommand).resolves({ Account: '999988887777', Arn: 'arn:aws:iam::999988887777:user/ci' });
  });
  afterAll(() => {
    hub.restore();
    sts.restore();
  });
  const session = () => new AwsSession({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAEXAMPLEEXAMPLE00', secretAccessKey: 'x'.repeat(40) }, maxAttempts: 1 });

  test('findings Security Hub refuses are named; the rest count as imported', async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).callsFake((input: { Findings: Array<{ Id: string }> }) => ({ SuccessCount: input.Findings.length - 1, FailedCount: 1, FailedFindings: [{ Id: input.Findings[0].Id, ErrorCode: 'InvalidInput', ErrorMessage: 'bad' }] }));
    const outcome = await exportToSecurityHub(session(), report(150));
    assert.equal(hub.commandCalls(BatchImportFindingsCommand).length, 2);
    assert.deepEqual(hub.commandCalls(BatchImportFindingsCommand).map((c) => c.args[0].input.Findings?.length), [100, 50]);
    assert.equal(outcome.imported, 148);
    assert.equal(outcome.failed.length, 2);
    assert.equal(outcome.account, '999988887777');
  });

  test('a refused call ends the export and names what was not imported', async () => {
    hub.reset();
    hub.on(BatchImportFindingsCommand).rejects(Object.assign(new Error('not authorized to perform: securityhub:BatchImportFindings'), { name: 'AccessDeniedException' }));
    const outcome = await exportToSecurityHub(session(), report(250));
    assert.equal(hub.commandCalls(BatchImportFindingsCommand).length, 1);
    assert.equal(outcome.imported, 0);
    assert.deepEqual(outcome.failed.map((f) => [f.id, f.code]), [['findings 1-250', 'AccessDeniedException']]);
  });
});
