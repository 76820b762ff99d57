// The finding formats (SARIF, OCSF, ASFF, CSV) as renderings of the JSON report, each checked by a
// validator: the official SARIF 2.1.0 schema, the OCSF 1.5.0 Compliance Finding schema (both
// vendored in test/fixtures/schemas, sources in SOURCES.md), Security Hub's documented limits, and
// an RFC 4180 parser for CSV.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Result, Severity, Status } from '../../src/model.ts';
import { registerSecret } from '../../src/redact.ts';
import { ASFF_LIMITS, asffBatches, asffFindings, defaultProductArn } from '../../src/report/asff.ts';
import { CSV_COLUMNS, csvCell, renderCsv } from '../../src/report/csv.ts';
import { DEFAULT_FORMATS, FORMATS, REPORT_FORMATS } from '../../src/report/formats.ts';
import { renderOcsf } from '../../src/report/ocsf.ts';
import { buildReport, combineTargets, type Report, type TargetReport } from '../../src/report/report.ts';
import { DEFAULT_SARIF_ANCHOR, renderSarif, SARIF_LIMITS } from '../../src/report/sarif.ts';

const schema = (name: string) => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), 'utf8'));
// ajv-draft-04 is CommonJS with `exports.default`: under Node's ESM interop the class is the default's default.
const AjvDraft04 = ((AjvDraft04Module as unknown as { default?: unknown }).default ?? AjvDraft04Module) as new (options: object) => InstanceType<typeof Ajv2020>;
const sarifAjv = new AjvDraft04({ allErrors: true, strict: false });
addFormats.default(sarifAjv);
const validateSarif = sarifAjv.compile(schema('sarif-schema-2.1.0.json'));
const ocsfAjv = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(ocsfAjv);
const validateOcsf = ocsfAjv.compile(schema('ocsf-1.5.0-compliance_finding-cloud.schema.json'));

function result(check: string, status: Status, subject = check, extra: Partial<Result> = {}): Result {
  return { check, subject, status, severity: 'high' as Severity, title: `Title of ${check}`, message: `${check} is ${status}`, evidence: { messageId: 'x' }, remediation: status === 'pass' ? '' : `Fix ${check}`, references: ['https://docs.aws.amazon.com/x'], durationMs: 3, ...extra };
}

const HOSTILE = '=HYPERLINK("https://evil.example")\n::error::x\u202e,"q"';

function singleReport(results: Result[], target: Record<string, unknown> = { bucket: 'ghes-packages', region: 'eu-west-1', account: '111122223333' }): Report {
  return buildReport({ tool: { name: 'packages-preflight', version: '0.1.0' }, pack: 'ghes-s3', target, startedAt: new Date('2026-12-01T00:00:00Z'), finishedAt: new Date('2026-12-01T00:01:00Z'), results, apiCalls: [] });
}

function fleetReport(count: number, perTarget: (i: number) => Result[]): Report {
  const targets: TargetReport[] = Array.from({ length: count }, (_, i) => {
    const single = singleReport(perTarget(i), { bucket: `bucket-${i}`, region: 'us-east-1', account: '111122223333', definedIn: 'fleet.yml' });
    return { name: `t${i}`, target: single.target, verdict: single.verdict, exitCode: single.exitCode, summary: single.summary, results: single.results, apiCalls: [] };
  });
  return combineTargets({ tool: { name: 'packages-preflight', version: '0.1.0' }, pack: 'ghes-s3', startedAt: new Date(0), finishedAt: new Date(1000) }, targets);
}

const ALL_STATUSES = [result('bucket-policy', 'fail', HOSTILE), result('bucket-encryption', 'warn'), result('kms-access', 'error'), result('probe', 'skip'), result('credentials', 'pass')];

describe('format table', () => {
  test('every format has a distinct file; the default is json, junit, markdown, html', () => {
    const files = FORMATS.map((f) => REPORT_FORMATS[f].file);
    assert.equal(new Set(files).size, files.length);
    assert.deepEqual([...DEFAULT_FORMATS], ['json', 'junit', 'markdown', 'html']);
    for (const f of ['sarif', 'ocsf', 'asff', 'csv']) assert.ok((FORMATS as string[]).includes(f), f);
  });
});

describe('SARIF', () => {
  const sarifOf = (report: Report, options = {}) => JSON.parse(renderSarif(report, options));

  test('validates against the official SARIF 2.1.0 schema (single target, fleet, codeartifact)', () => {
    for (const report of [singleReport(ALL_STATUSES), fleetReport(3, () => ALL_STATUSES), { ...singleReport([result('cross-account-access', 'fail')], { domain: 'packages', domainOwner: '111122223333' }), pack: 'codeartifact' }]) {
      const log = sarifOf(report);
      assert.ok(validateSarif(log), JSON.stringify(validateSarif.errors?.slice(0, 3)));
    }
    assert.equal(validateSarif({ version: '2.1.0', runs: [{ results: [] }] }), false, 'the validator rejects a run without a tool');
  });

  test('results for fail, warn and error only; level from status; one rule per check with help and helpUri', () => {
    const run = sarifOf(singleReport(ALL_STATUSES)).runs[0];
    assert.deepEqual(run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]), [['bucket-policy', 'error'], ['bucket-encryption', 'warning'], ['kms-access', 'warning']]);
    assert.deepEqual(run.tool.driver.rules.map((r: { id: string }) => r.id), ['bucket-policy', 'bucket-encryption', 'kms-access']);
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.fullDescription.text && rule.help.text.includes('Fix: ') && /^https:\/\//.test(rule.helpUri), JSON.stringify(rule));
      assert.ok(Number(rule.properties['security-severity']) >= 0.1 && Number(rule.properties['security-severity']) <= 10);
    }
    run.results.forEach((r: { ruleIndex: number; ruleId: string }) => assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId));
  });

  test('every result has a location: the anchor by default, --sarif-anchor when given', () => {
    const plain = sarifOf(singleReport(ALL_STATUSES)).runs[0].results;
    for (const r of plain) assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, DEFAULT_SARIF_ANCHOR);
    const anchored = sarifOf(singleReport(ALL_STATUSES), { sarifAnchor: '.github/preflight.yml' }).runs[0].results;
    for (const r of anchored) assert.equal(r.locations[0].physicalLocation.artifactLocation.uri, '.github/preflight.yml');
  });

  test('anchored at the line of the relevant key in the config, the target entry in a targets file, the statement in a policy file', () => {
    const files: Record<string, string> = {
      'preflight.yml': 'region: eu-west-1\nbucket: ghes-packages\nserviceUrl: https://s3.eu-west-1.amazonaws.com\n',
      'fleet.yml': 'defaults:\n  region: us-east-1\ntargets:\n  - name: t0\n    bucket: bucket-0\n  - name: t1\n    serviceUrl: https://s3.amazonaws.com\n    bucket: bucket-1\n',
      'policy.json': '{\n  "Version": "2012-10-17",\n  "Statement": [\n    { "Sid": "A", "Effect": "Allow" },\n    {\n      "Sid": "Partner"\n    },\n    { "Effect": "Allow" }\n  ]\n}\n',
    };
    const readSource = (path: string) => files[path];
    const lineOf = (report: Report) => sarifOf(report, { readSource }).runs.map((run: { results: Array<{ locations: Array<{ physicalLocation: { region: { startLine: number } } }> }> }) => run.results.map((r) => r.locations[0].physicalLocation.region.startLine));
    const single = singleReport([result('service-url', 'fail'), result('bucket-policy', 'fail')], { bucket: 'ghes-packages', definedIn: 'preflight.yml' });
    assert.deepEqual(lineOf(single), [[3, 2]]);
    assert.deepEqual(lineOf(fleetReport(2, () => [result('service-url', 'fail'), result('bucket-acl', 'fail')])), [[5, 5], [7, 8]]);
    const ca = { ...singleReport([result('cross-account-access', 'fail', 'p', { evidence: { statements: [{ statement: 'Sid "Partner"', sid: 'Partner' }] } }), result('policy-document', 'fail', 'principal', { evidence: { statement: '#3' } })], { domain: 'packages', definedIn: 'policy.json' }), pack: 'codeartifact' };
    assert.deepEqual(lineOf(ca), [[5, 8]]);
    files['waivers.yml'] = 'waivers:\n  - check: secure-transport\n    reason: r\n    expires: 2026-01-01\n  - check: bucket-acl\n    subject: x\n    reason: r\n    expires: 2026-01-01\n';
    const waived = singleReport([result('waivers', 'warn', 'bucket-acl x', { evidence: { waiver: { check: 'bucket-acl', subject: 'x' }, waiversFile: 'waivers.yml' } }), result('bucket-acl', 'fail')], { bucket: 'b', definedIn: 'preflight.yml' });
    assert.deepEqual(lineOf(waived), [[5, 2]]);
    assert.equal(sarifOf(waived, { readSource }).runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri, 'waivers.yml');
    // A file that cannot be read still anchors (line 1), never drops the result.
    assert.deepEqual(lineOf(singleReport([result('bucket-acl', 'fail')], { bucket: 'b', definedIn: 'gone.yml' })), [[1]]);
  });

  test('partialFingerprints are stable across runs for the same target, check and subject, and differ otherwise', () => {
    const fp = (r: Result, target = 'ghes-packages') => sarifOf(singleReport([r], { bucket: target })).runs[0].results[0].partialFingerprints;
    assert.deepEqual(fp(result('bucket-acl', 'fail', 's', { message: 'one' })), fp(result('bucket-acl', 'warn', 's', { message: 'two, later' })));
    assert.notDeepEqual(fp(result('bucket-acl', 'fail', 's')), fp(result('bucket-acl', 'fail', 't')));
    assert.notDeepEqual(fp(result('bucket-acl', 'fail', 's')), fp(result('bucket-acl', 'fail', 's'), 'other-bucket'));
  });

  test('one run per target with its own automationDetails.id; over 20 targets, 20 runs by a stable hash and nothing dropped', () => {
    const small = sarifOf(fleetReport(3, () => [result('bucket-acl', 'fail')]));
    assert.deepEqual(small.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id), ['packages-preflight/ghes-s3/t0/', 'packages-preflight/ghes-s3/t1/', 'packages-preflight/ghes-s3/t2/']);
    const big = fleetReport(45, () => [result('bucket-acl', 'fail')]);
    const log = sarifOf(big);
    assert.ok(log.runs.length <= SARIF_LIMITS.runsPerFile);
    assert.equal(new Set(log.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).size, log.runs.length);
    assert.equal(log.runs.reduce((n: number, r: { results: unknown[] }) => n + r.results.length, 0), 45);
    assert.deepEqual(sarifOf(big), log, 'deterministic');
    assert.ok(validateSarif(log));
  });

  test('over 25,000 results in a run: the most serious kept and the run says how many were left out', () => {
    const many = [...Array.from({ length: SARIF_LIMITS.resultsPerRun }, (_, i) => result('bucket-acl', 'warn', `w${i}`)), result('bucket-policy', 'fail', 'the-fail')];
    const run = sarifOf(singleReport(many)).runs[0];
    assert.equal(run.results.length, SARIF_LIMITS.resultsPerRun);
    assert.ok(run.results.some((r: { ruleId: string }) => r.ruleId === 'bucket-policy'));
    assert.match(run.invocations[0].toolExecutionNotifications[0].message.text, /^1 of 25001 results were left out/);
  });
});

describe('OCSF Compliance Finding', () => {
  test('validates against the OCSF 1.5.0 class 2003 schema, one finding per result', () => {
    for (const report of [singleReport(ALL_STATUSES), fleetReport(2, () => ALL_STATUSES), { ...singleReport(ALL_STATUSES, { domain: 'packages', domainOwner: '111122223333', region: 'eu-west-1' }), pack: 'codeartifact' }, singleReport(ALL_STATUSES, {})]) {
      const events = JSON.parse(renderOcsf(report));
      assert.equal(events.length, report.results.length);
      for (const e of events) assert.ok(validateOcsf(e), JSON.stringify(validateOcsf.errors?.slice(0, 3)));
    }
    const [first] = JSON.parse(renderOcsf(singleReport(ALL_STATUSES)));
    assert.equal(validateOcsf({ ...first, compliance: { ...first.compliance, status_id: 7 } }), false, 'the validator rejects an unknown status_id');
  });

  test('status_id per status (error and skip with the reason), check as control, bucket as resource, account and region in cloud, evidence unmapped', () => {
    const events = JSON.parse(renderOcsf(singleReport(ALL_STATUSES)));
    assert.deepEqual(events.map((e: { compliance: { status_id: number } }) => e.compliance.status_id), [3, 2, 0, 99, 1]);
    assert.match(events[2].compliance.status_details[0], /^Not evaluated: kms-access is error/);
    assert.match(events[3].compliance.status_details[0], /^Skipped: /);
    assert.equal(events[0].class_uid, 2003);
    assert.equal(events[0].compliance.control, 'bucket-policy');
    assert.deepEqual(events[0].resources[0], { uid: 'arn:aws:s3:::ghes-packages', name: 'ghes-packages', type: 'AWS::S3::Bucket', region: 'eu-west-1' });
    assert.deepEqual(events[0].cloud, { provider: 'AWS', account: { uid: '111122223333', type_id: 10, type: 'AWS Account' }, region: 'eu-west-1' });
    assert.deepEqual(events[0].unmapped.evidence, { messageId: 'x' });
    assert.equal(events[0].time, Date.parse('2026-12-01T00:01:00Z'));
  });
});

describe('ASFF for Security Hub', () => {
  test('the default product of the caller\'s account, stable ids, the documented field limits', () => {
    const findings = asffFindings(singleReport(ALL_STATUSES), { account: '999988887777', region: 'eu-central-1' });
    for (const f of findings) {
      assert.equal(f.AwsAccountId, '999988887777');
      assert.equal(f.ProductArn, 'arn:aws:securityhub:eu-central-1:999988887777:product/999988887777/default');
      for (const key of ['SchemaVersion', 'Id', 'ProductArn', 'GeneratorId', 'AwsAccountId', 'CreatedAt', 'UpdatedAt', 'Severity', 'Title', 'Description', 'Resources', 'Types']) assert.ok(f[key] !== undefined, key);
    }
    assert.deepEqual(findings.map((f) => (f.Compliance as { Status: string }).Status), ['FAILED', 'WARNING', 'NOT_AVAILABLE', 'NOT_AVAILABLE', 'PASSED']);
    assert.deepEqual(asffFindings(singleReport(ALL_STATUSES)).map((f) => f.Id), asffFindings(singleReport(ALL_STATUSES.map((r) => ({ ...r, message: 'changed' })))).map((f) => f.Id));
    assert.equal(defaultProductArn('111122223333', 'cn-north-1'), 'arn:aws-cn:securityhub:cn-north-1:111122223333:product/111122223333/default');
  });

  test('a finding stays under 240 KB and its text fields under their limits, whatever the evidence', () => {
    const huge = result('bucket-policy', 'fail', 'x'.repeat(300_000), { message: 'm'.repeat(300_000), remediation: 'r'.repeat(300_000), evidence: { blob: 'e'.repeat(500_000) } });
    const [f] = asffFindings(singleReport([huge]));
    assert.ok(Buffer.byteLength(JSON.stringify(f)) < ASFF_LIMITS.bytesPerFinding);
    assert.ok((f.Title as string).length <= 256 && (f.Description as string).length <= 1024);
    assert.ok(((f.Remediation as { Recommendation: { Text: string } }).Recommendation.Text).length <= 512);
  });

  test('a field cut to its limit never keeps part of a secret: redaction comes before the cut', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY';
    registerSecret(secret);
    const [f] = asffFindings(singleReport([result('bucket-policy', 'fail', 's', { evidence: { blob: `${'a'.repeat(2000)}${secret}` } })]));
    const text = JSON.stringify(f);
    assert.ok(!text.includes(secret.slice(0, 12)), 'a prefix of the secret survived the cut');
    assert.match(text, /\[REDACTED\]/);
  });

  test('batches of at most 100 findings', () => {
    const findings = asffFindings(singleReport(Array.from({ length: 250 }, (_, i) => result('bucket-acl', 'fail', `s${i}`))));
    assert.deepEqual(asffBatches(findings).map((b) => b.length), [100, 100, 50]);
  });
});

describe('CSV', () => {
  const cases: Array<[string, string]> = [
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['plain', 'plain'],
    ['a=b', 'a=b'],
  ];
  for (const [input, output] of cases) test(`formula injection neutralised: ${JSON.stringify(input)}`, () => assert.equal(csvCell(input), output));

  test('one row per result with the columns; RFC 4180 parses it back exactly (quotes, commas, line breaks)', () => {
    const report = fleetReport(2, () => ALL_STATUSES);
    const text = renderCsv(report);
    assert.ok(text.endsWith('\r\n'));
    const rows = parseCsv(text, { relax_column_count: false }) as string[][];
    assert.deepEqual(rows[0], [...CSV_COLUMNS]);
    assert.equal(rows.length, 1 + report.results.length);
    const hostile = rows.find((r) => r[1] === 'bucket-policy')!;
    assert.deepEqual(hostile, ['t0', 'bucket-policy', `'${HOSTILE}`, 'fail', 'high', 'bucket-policy is fail', '111122223333', 'us-east-1']);
  });
});
