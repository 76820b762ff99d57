// Which bucket and which IAM user of the plan are checked: --bucket NAME or --bucket-address
// ADDRESS (or the plan's only bucket), --principal-arn ARN or --user-address ADDRESS. A choice the
// plan cannot satisfy is a UsageError naming what the plan holds (exit 3, nothing read further).

import { parsePrincipalArn } from '../config/arn.ts';
import { UsageError } from '../config/usage-error.ts';
import { PlanBucket } from './plan-bucket.ts';
import type { PlanJson } from './plan-file.ts';
import { PlanIndex, type PlanResource } from './plan-index.ts';
import { PlanPrincipal } from './plan-principal.ts';
import { str } from './plan-values.ts';

export interface PlanSelection {
  bucket?: string;
  bucketAddress?: string;
  principalArn?: string;
  userAddress?: string;
}

export interface PlanTarget {
  index: PlanIndex;
  bucket: PlanBucket;
  /** The bucket's name, or its address when the name is known only after apply (bucket_prefix). */
  bucketName: string;
  principal: PlanPrincipal | { unavailable: string };
}

const listed = (resources: PlanResource[], describe: (r: PlanResource) => string): string =>
  resources.length === 0 ? 'none' : `${resources.slice(0, 5).map(describe).join(', ')}${resources.length > 5 ? ` and ${resources.length - 5} more` : ''}`;

const destroyed = (plan: PlanJson, address: string): boolean =>
  (plan.resource_changes ?? []).some((rc) => rc.address === address && rc.change.actions.length === 1 && rc.change.actions[0] === 'delete');

function selectBucket(index: PlanIndex, selection: PlanSelection, label: string): PlanResource {
  const buckets = index.ofType('aws_s3_bucket');
  const describe = (r: PlanResource) => `${r.address}${str(r.values.bucket) ? ` ("${str(r.values.bucket)}")` : ''}`;
  if (selection.bucketAddress) {
    const found = buckets.find((r) => r.address === selection.bucketAddress);
    if (found) return found;
    if (destroyed(index.plan, selection.bucketAddress)) throw new UsageError(`--bucket-address ${selection.bucketAddress}: this plan destroys that bucket; nothing is left to check`);
    throw new UsageError(`--bucket-address ${selection.bucketAddress}: ${label} holds no aws_s3_bucket at that address; its buckets: ${listed(buckets, describe)}`);
  }
  if (selection.bucket) {
    const found = buckets.filter((r) => str(r.values.bucket) === selection.bucket && !index.unknownAt(r, ['bucket']));
    if (found.length === 1) return found[0];
    if (found.length > 1) throw new UsageError(`--bucket ${selection.bucket}: ${label} has ${found.length} aws_s3_bucket resources with that name (${found.map((r) => r.address).join(', ')}); choose one with --bucket-address`);
    throw new UsageError(`--bucket ${selection.bucket}: ${label} holds no aws_s3_bucket named so (a name known only after apply cannot be matched: use --bucket-address); its buckets: ${listed(buckets, describe)}`);
  }
  if (buckets.length === 1) return buckets[0];
  throw new UsageError(`${label} holds ${buckets.length === 0 ? 'no aws_s3_bucket' : `${buckets.length} buckets (${listed(buckets, describe)})`}; name the Packages bucket with --bucket NAME or --bucket-address ADDRESS`);
}

function selectPrincipal(index: PlanIndex, selection: PlanSelection, label: string): PlanTarget['principal'] {
  const users = index.ofType('aws_iam_user');
  const describe = (r: PlanResource) => `${r.address}${str(r.values.name) ? ` ("${str(r.values.name)}")` : ''}`;
  if (selection.userAddress) {
    const found = users.find((r) => r.address === selection.userAddress);
    if (!found) {
      if (destroyed(index.plan, selection.userAddress)) throw new UsageError(`--user-address ${selection.userAddress}: this plan destroys that user; GHES could not sign with it after apply`);
      throw new UsageError(`--user-address ${selection.userAddress}: ${label} holds no aws_iam_user at that address; its users: ${listed(users, describe)}`);
    }
    const account = selection.principalArn ? /^arn:[^:]+:iam::(\d{12}):/.exec(selection.principalArn)?.[1] : undefined;
    return new PlanPrincipal(index, found, account);
  }
  if (selection.principalArn) {
    const parsed = parsePrincipalArn(selection.principalArn);
    if (!parsed.ok) throw new UsageError(`--principal-arn ${parsed.problem}`);
    const p = parsed.value;
    if (p.kind !== 'user') return { unavailable: `--principal-arn names a ${p.kind}; from a plan this tool reads the policies of an IAM user (aws_iam_user), the kind of principal whose access key GHES uses` };
    const path = p.path ?? '/';
    const found = users.filter((r) => str(r.values.name) === p.name && (str(r.values.path) ?? '/') === path);
    if (found.length === 1) return new PlanPrincipal(index, found[0], p.account);
    if (found.length > 1) throw new UsageError(`--principal-arn ${selection.principalArn}: ${label} has ${found.length} users of that name and path (${found.map((r) => r.address).join(', ')}); choose one with --user-address`);
    return { unavailable: `${label} holds no aws_iam_user named ${p.name} (path ${path}), so its policies are not in the plan; a run against AWS reads them` };
  }
  return { unavailable: `no IAM user was named: give --user-address ADDRESS (or --principal-arn ARN) to judge the permissions of the user GHES signs with from the plan` };
}

export function selectPlanTarget(plan: PlanJson, selection: PlanSelection, label = 'the plan'): PlanTarget {
  const index = new PlanIndex(plan);
  const resource = selectBucket(index, selection, label);
  const bucket = new PlanBucket(index, resource);
  return { index, bucket, bucketName: bucket.name ?? resource.address, principal: selectPrincipal(index, selection, label) };
}
