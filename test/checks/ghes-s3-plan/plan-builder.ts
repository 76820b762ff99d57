// Writes small plan JSON documents the way `terraform show -json` does, for the plan tables:
// resource_changes (with after_unknown), planned_values, and the configuration (provider region,
// expressions with constants and references, module calls). A resource's `refs` become
// configuration references, the way Terraform records `bucket = aws_s3_bucket.x.id`.

export interface PlanRow {
  address: string;
  values: Record<string, unknown>;
  /** `after_unknown`: true where the value is known only after apply. */
  unknown?: Record<string, unknown>;
  actions?: string[];
  /** Attribute -> references (e.g. { bucket: ['aws_s3_bucket.packages.id', 'aws_s3_bucket.packages'] }). */
  refs?: Record<string, string[]>;
  /** Raw configuration expressions (nested blocks as Terraform writes them), over the generated ones. */
  expressions?: Record<string, unknown>;
  /** Attributes the configuration sets (default: every value given that is not unknown). */
  configured?: string[];
}

export interface PlanOptions {
  region?: string;
  /** The provider's allowed_account_ids (one account). */
  allowedAccount?: string;
  /** The provider's region as a reference instead (e.g. var.region). */
  regionReference?: string;
  formatVersion?: string;
  variables?: Record<string, unknown>;
  /** Module call expressions by module name (root-level calls only). */
  moduleCalls?: Record<string, Record<string, unknown>>;
}

function parse(address: string): { module: string; type: string; name: string; index?: number | string; mode: string } {
  const parts = /^((?:module\.[^.[]+(?:\[[^\]]*\])?\.)*)(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\[(.+)\])?$/.exec(address);
  if (!parts) throw new Error(`not a resource address: ${address}`);
  const rawIndex = parts[5];
  const index = rawIndex === undefined ? undefined : /^\d+$/.test(rawIndex) ? Number(rawIndex) : (JSON.parse(rawIndex) as string);
  return { module: parts[1].replace(/\.$/, ''), type: parts[3], name: parts[4], index, mode: parts[2] ? 'data' : 'managed' };
}

export function planOf(rows: PlanRow[], options: PlanOptions = {}): Record<string, unknown> {
  const rootConfig: { resources: unknown[]; module_calls: Record<string, { expressions: Record<string, unknown>; module: { resources: unknown[] } }> } = { resources: [], module_calls: {} };
  const configured = new Set<string>();
  const resourceChanges = rows.map((row) => {
    const p = parse(row.address);
    const configPath = p.module.replace(/\[[^\]]*\]/g, '');
    const local = `${p.mode === 'data' ? 'data.' : ''}${p.type}.${p.name}`;
    const key = `${configPath}|${local}`;
    if (!configured.has(key)) {
      configured.add(key);
      const expressions: Record<string, unknown> = {};
      const set = row.configured ?? Object.keys(row.values).filter((k) => row.unknown?.[k] !== true);
      for (const k of set) if (k in row.values) expressions[k] = { constant_value: row.values[k] };
      for (const [k, refs] of Object.entries(row.refs ?? {})) expressions[k] = { references: refs };
      Object.assign(expressions, row.expressions);
      const entry = { address: local, mode: p.mode, type: p.type, name: p.name, provider_config_key: 'aws', expressions };
      if (!configPath) rootConfig.resources.push(entry);
      else {
        const name = configPath.split('.')[1];
        rootConfig.module_calls[name] ??= { expressions: options.moduleCalls?.[name] ?? {}, module: { resources: [] } };
        rootConfig.module_calls[name].module.resources.push(entry);
      }
    }
    const actions = row.actions ?? ['create'];
    return {
      address: row.address,
      ...(p.module ? { module_address: p.module } : {}),
      mode: p.mode,
      type: p.type,
      name: p.name,
      ...(p.index !== undefined ? { index: p.index } : {}),
      provider_name: 'registry.terraform.io/hashicorp/aws',
      change: {
        actions,
        before: actions.includes('create') && !actions.includes('delete') ? null : row.values,
        after: actions.length === 1 && actions[0] === 'delete' ? null : row.values,
        after_unknown: row.unknown ?? {},
      },
    };
  });
  return {
    format_version: options.formatVersion ?? '1.2',
    terraform_version: '1.9.8',
    ...(options.variables ? { variables: Object.fromEntries(Object.entries(options.variables).map(([k, value]) => [k, { value }])) } : {}),
    planned_values: { root_module: { resources: [] } },
    resource_changes: resourceChanges,
    configuration: {
      provider_config: {
        aws: {
          name: 'aws',
          full_name: 'registry.terraform.io/hashicorp/aws',
          expressions: {
            ...(options.regionReference ? { region: { references: [options.regionReference] } } : options.region === undefined ? {} : { region: { constant_value: options.region } }),
            ...(options.allowedAccount ? { allowed_account_ids: { constant_value: [options.allowedAccount] } } : {}),
          },
        },
      },
      root_module: rootConfig,
    },
  };
}

/** The policy documents of the tables, as `jsonencode(...)` renders them into the plan. */
export const policy = (statements: unknown[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export const BUCKET = 'ghes-packages';
export const ref = (address: string, attribute = 'id'): string[] => [`${address}.${attribute}`, address];

/** The GHES user's policy: the seven S3 actions Packages needs, on the bucket and its objects. */
export const GHES_USER_POLICY = policy([
  { Effect: 'Allow', Action: ['s3:ListBucket', 's3:ListBucketMultipartUploads'], Resource: `arn:aws:s3:::${BUCKET}` },
  { Effect: 'Allow', Action: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'], Resource: `arn:aws:s3:::${BUCKET}/*` },
]);

/** A bucket the plan creates, with v5-provider computed attributes unknown until apply. */
export function bucketRow(values: Record<string, unknown> = {}, address = 'aws_s3_bucket.packages'): PlanRow {
  return {
    address,
    values: { bucket: BUCKET, force_destroy: false, ...values },
    unknown: { arn: true, id: true, region: true, acl: true, grant: true, policy: true, versioning: true, server_side_encryption_configuration: true, lifecycle_rule: true, replication_configuration: true, request_payer: true, object_lock_configuration: true, object_lock_enabled: true },
    configured: ['bucket', 'force_destroy', ...Object.keys(values)],
  };
}

/** A sub-resource of the bucket, its `bucket` unknown until apply and traced by reference. */
export function subRow(address: string, values: Record<string, unknown>, unknown: Record<string, unknown> = {}, bucketAddress = 'aws_s3_bucket.packages'): PlanRow {
  return { address, values, unknown: { id: true, bucket: true, ...unknown }, refs: { bucket: ref(bucketAddress) } };
}

export function userRows(policyDocument: string | null = GHES_USER_POLICY): PlanRow[] {
  return [
    { address: 'aws_iam_user.ghes', values: { name: 'ghes-packages', path: '/' }, unknown: { arn: true, id: true, unique_id: true } },
    ...(policyDocument === null
      ? []
      : [{ address: 'aws_iam_user_policy.ghes', values: { name: 'packages', policy: policyDocument }, unknown: { id: true, user: true }, refs: { user: ['aws_iam_user.ghes.name', 'aws_iam_user.ghes'] } }]),
  ];
}
