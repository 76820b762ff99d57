// What the finding formats (OCSF, ASFF, CSV) say about where a result was found: the account, the
// region and the AWS resource, read from the target record of the JSON report (falling back to
// the result's evidence), so every format names them the same way.

import { createHash } from 'node:crypto';
import { partitionOf } from '../regions.ts';
import type { Result } from '../model.ts';
import type { TargetReport } from './report.ts';

export interface FindingContext {
  account?: string;
  region?: string;
  resource: { arn: string; name: string; type: 'AWS::S3::Bucket' | 'AWS::CodeArtifact::Domain' | 'Other' };
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function findingContext(t: TargetReport, r: Result): FindingContext {
  const target = t.target;
  const evidence = r.evidence as Record<string, unknown>;
  const account = text(target.account) ?? text(target.domainOwner) ?? text(evidence.account) ?? text(evidence.domainOwner);
  const region = text(target.region) ?? text(evidence.region);
  const partition = (region && partitionOf(region)) || 'aws';
  if (text(target.bucket)) return { account, region, resource: { arn: `arn:${partition}:s3:::${target.bucket}`, name: String(target.bucket), type: 'AWS::S3::Bucket' } };
  if (text(target.domain)) {
    const arn = `arn:${partition}:codeartifact:${region ?? ''}:${account ?? ''}:domain/${target.domain}`;
    return { account, region, resource: { arn, name: String(target.domain), type: 'AWS::CodeArtifact::Domain' } };
  }
  return { account, region, resource: { arn: t.name, name: t.name, type: 'Other' } };
}

/** Identifies a finding across runs (same target, check and subject; not the message, which may carry volatile detail). */
export function fingerprint(target: string, r: Pick<Result, 'check' | 'subject'>): string {
  return createHash('sha256').update(`${target}\u0000${r.check}\u0000${r.subject}`, 'utf8').digest('hex');
}
