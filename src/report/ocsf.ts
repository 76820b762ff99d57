// OCSF Compliance Finding (class_uid 2003, schema 1.5.0 with the `cloud` profile): one event per
// result, a JSON array. The check is the control, compliance.status_id says pass 1 / warning 2 /
// fail 3; an error (not evaluated) is 0 Unknown and a skip 99 Other, each with its reason in
// compliance.status_details. The bucket or domain is the resource, account and region are in
// `cloud`, the evidence is in `unmapped`. Validated against the class's JSON schema in tests.

import type { Result, Severity, Status } from '../model.ts';
import { TOOL } from '../version.ts';
import { findingContext, fingerprint } from './finding-context.ts';
import { type Report, targetsOf } from './report.ts';

export const OCSF_VERSION = '1.5.0';
const COMPLIANCE_STATUS: Record<Status, { id: number; name: string }> = {
  pass: { id: 1, name: 'Pass' },
  warn: { id: 2, name: 'Warning' },
  fail: { id: 3, name: 'Fail' },
  error: { id: 0, name: 'Unknown' },
  skip: { id: 99, name: 'Skipped' },
};
const SEVERITY: Record<Severity, { id: number; name: string }> = {
  info: { id: 1, name: 'Informational' },
  low: { id: 2, name: 'Low' },
  medium: { id: 3, name: 'Medium' },
  high: { id: 4, name: 'High' },
  critical: { id: 5, name: 'Critical' },
};
const CLASS = { category_uid: 2, category_name: 'Findings', class_uid: 2003, class_name: 'Compliance Finding', activity_id: 1, activity_name: 'Create', type_uid: 200301, type_name: 'Compliance Finding: Create' };
/** OCSF account type "AWS Account". */
const AWS_ACCOUNT = 10;

function statusDetails(r: Result): string[] | undefined {
  if (r.status === 'error') return [`Not evaluated: ${r.message}`];
  if (r.status === 'skip') return [`Skipped: ${r.message}`];
  return undefined;
}

export function renderOcsf(report: Report): string {
  const time = Date.parse(report.finishedAt);
  const events = targetsOf(report).flatMap((t) =>
    t.results.map((r) => {
      const where = findingContext(t, r);
      const details = statusDetails(r);
      return {
        ...CLASS,
        time: Number.isFinite(time) ? time : 0,
        severity_id: SEVERITY[r.severity].id,
        severity: SEVERITY[r.severity].name,
        message: r.message,
        metadata: { version: OCSF_VERSION, profiles: ['cloud'], product: { name: TOOL.name, vendor_name: TOOL.name, version: report.tool.version } },
        finding_info: { uid: fingerprint(t.name, r), title: r.title, desc: r.message, types: [report.pack] },
        compliance: {
          control: r.check,
          standards: [`${TOOL.name} ${report.pack}`],
          desc: r.title,
          status_id: COMPLIANCE_STATUS[r.status].id,
          status: COMPLIANCE_STATUS[r.status].name,
          ...(details ? { status_details: details } : {}),
        },
        cloud: { provider: 'AWS', ...(where.account ? { account: { uid: where.account, type_id: AWS_ACCOUNT, type: 'AWS Account' } } : {}), ...(where.region ? { region: where.region } : {}) },
        resources: [{ uid: where.resource.arn, name: where.resource.name, type: where.resource.type, ...(where.region ? { region: where.region } : {}) }],
        ...(r.remediation ? { remediation: { desc: r.remediation, ...(r.references.length ? { references: r.references } : {}) } } : {}),
        unmapped: { target: t.name, subject: r.subject, status: r.status, evidence: r.evidence },
      };
    }),
  );
  return JSON.stringify(events, null, 2) + '\n';
}
