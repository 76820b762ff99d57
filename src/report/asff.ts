// AWS Security Finding Format for Security Hub's BatchImportFindings: one finding per result, a
// JSON array (the shape `aws securityhub batch-import-findings --findings file://…` takes, up to
// 100 at a time; `report export --security-hub` sends any number in batches of 100). Findings are
// imported through the account's default product, so AwsAccountId and the account in ProductArn
// must be the caller's: the file uses the report's account, the export the caller's. Ids are
// stable (target, check, subject), so a re-import updates a finding instead of adding one.

import { partitionOf } from '../regions.ts';
import type { Result, Severity, Status } from '../model.ts';
import { redact } from '../redact.ts';
import { TOOL } from '../version.ts';
import { findingContext, fingerprint } from './finding-context.ts';
import { type Report, targetsOf } from './report.ts';

/** Security Hub limits (API reference, BatchImportFindings and AwsSecurityFinding). */
export const ASFF_LIMITS = { findingsPerCall: 100, bytesPerFinding: 240 * 1024, title: 256, description: 1024, recommendation: 512, productFieldValue: 2048 } as const;

export interface AsffOptions {
  /** The account and region findings are imported into (the caller's); default: the report's. */
  account?: string;
  region?: string;
}

export type AsffFinding = Record<string, unknown> & { Id: string; AwsAccountId: string; ProductArn: string };

const COMPLIANCE: Record<Status, string> = { pass: 'PASSED', warn: 'WARNING', fail: 'FAILED', error: 'NOT_AVAILABLE', skip: 'NOT_AVAILABLE' };
const LABEL: Record<Severity, string> = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW', info: 'INFORMATIONAL' };
/** Placeholder when the report knows no account; `report export` always sets the caller's. */
export const UNKNOWN_ACCOUNT = '000000000000';

/** Security Hub's field limits cut text: redact first, so a cut never leaves a part of a secret that redaction no longer recognises. */
const cut = (raw: string, max: number): string => {
  const text = redact(raw);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
};

export function defaultProductArn(account: string, region: string): string {
  const partition = partitionOf(region) ?? 'aws';
  return `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
}

function description(r: Result): string {
  const prefix = r.status === 'error' ? 'Not evaluated: ' : r.status === 'skip' ? 'Skipped: ' : '';
  return cut(`${prefix}${r.subject}: ${r.message}`, ASFF_LIMITS.description);
}

export function asffFindings(report: Report, options: AsffOptions = {}): AsffFinding[] {
  const updated = report.finishedAt;
  return targetsOf(report).flatMap((t) =>
    t.results.map((r): AsffFinding => {
      const where = findingContext(t, r);
      const account = options.account ?? where.account ?? UNKNOWN_ACCOUNT;
      const region = options.region ?? where.region ?? 'us-east-1';
      const resourceRegion = where.region ?? region;
      const partition = defaultProductArn(account, resourceRegion).split(':')[1];
      const finding: AsffFinding = {
        SchemaVersion: '2018-10-08',
        Id: `${TOOL.name}/${report.pack}/${fingerprint(t.name, r)}`,
        ProductArn: defaultProductArn(account, region),
        ProductName: TOOL.name,
        CompanyName: TOOL.name,
        GeneratorId: `${TOOL.name}/${report.pack}/${r.check}`,
        AwsAccountId: account,
        Types: ['Software and Configuration Checks/Industry and Regulatory Standards'],
        CreatedAt: updated,
        UpdatedAt: updated,
        // Security Hub's own controls mark a passed check informational.
        Severity: { Label: r.status === 'pass' ? 'INFORMATIONAL' : LABEL[r.severity], Original: r.severity },
        Title: cut(`${r.check}: ${r.title}`, ASFF_LIMITS.title),
        Description: description(r),
        ...(r.remediation ? { Remediation: { Recommendation: { Text: cut(r.remediation, ASFF_LIMITS.recommendation), ...(r.references[0] ? { Url: r.references[0] } : {}) } } } : {}),
        Compliance: { Status: COMPLIANCE[r.status] },
        Resources: [{ Type: where.resource.type === 'AWS::S3::Bucket' ? 'AwsS3Bucket' : 'Other', Id: where.resource.arn, Partition: partition, Region: resourceRegion }],
        RecordState: 'ACTIVE',
        ProductFields: {
          'packages-preflight/target': cut(t.name, ASFF_LIMITS.productFieldValue),
          'packages-preflight/check': r.check,
          'packages-preflight/subject': cut(r.subject, ASFF_LIMITS.productFieldValue),
          'packages-preflight/status': r.status,
          'packages-preflight/evidence': cut(JSON.stringify(r.evidence), ASFF_LIMITS.productFieldValue),
        },
      };
      return finding;
    }),
  );
}

/** BatchImportFindings requests: at most 100 findings each. */
export function asffBatches(findings: readonly AsffFinding[]): AsffFinding[][] {
  const batches: AsffFinding[][] = [];
  for (let i = 0; i < findings.length; i += ASFF_LIMITS.findingsPerCall) batches.push(findings.slice(i, i + ASFF_LIMITS.findingsPerCall));
  return batches;
}

export function renderAsff(report: Report): string {
  return JSON.stringify(asffFindings(report), null, 2) + '\n';
}
