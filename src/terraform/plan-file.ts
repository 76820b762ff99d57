// Reads the JSON of `terraform show -json PLANFILE` (OpenTofu's `tofu show -json` writes the same
// format). The shape is checked with zod, leniently: the format promises that minor versions only
// add properties, so unknown properties are ignored, and a major version other than 0 or 1 is
// refused (the range hashicorp/terraform-json accepts: ">= 0.1, < 2.0"). Anything that is not a
// plan is one UsageError line naming what the file is and how to make the plan JSON (exit 3).

import { closeSync, openSync, readSync } from 'node:fs';
import { z } from 'zod';
import { MAX_REPORT_BYTES, parseJsonInput, readUserFile } from '../config/input-file.ts';
import { UsageError } from '../config/usage-error.ts';

const HOW = 'make it with "terraform plan -out plan && terraform show -json plan > plan.json" (or "tofu show -json plan")';

const index = z.union([z.number(), z.string()]);
const record = z.record(z.string(), z.unknown());

const stateResource = z.object({
  address: z.string(),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  index: index.optional(),
  values: record.nullish(),
});
export type StateResource = z.infer<typeof stateResource>;

export interface StateModule {
  address?: string;
  resources?: StateResource[];
  child_modules?: StateModule[];
}
const stateModule: z.ZodType<StateModule> = z.lazy(() =>
  z.object({ address: z.string().optional(), resources: z.array(stateResource).optional(), child_modules: z.array(stateModule).optional() }),
);

const resourceChange = z.object({
  address: z.string(),
  module_address: z.string().optional(),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  index: index.optional(),
  deposed: z.string().optional(),
  change: z.object({
    actions: z.array(z.string()),
    before: z.unknown().optional(),
    after: z.unknown().optional(),
    after_unknown: z.unknown().optional(),
  }),
});
export type ResourceChange = z.infer<typeof resourceChange>;

const configResource = z.object({
  address: z.string(),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  provider_config_key: z.string().optional(),
  expressions: record.optional(),
});
export type ConfigResource = z.infer<typeof configResource>;

export interface ConfigModule {
  resources?: ConfigResource[];
  module_calls?: Record<string, { expressions?: Record<string, unknown>; module?: ConfigModule }>;
}
const configModule: z.ZodType<ConfigModule> = z.lazy(() =>
  z.object({
    resources: z.array(configResource).optional(),
    module_calls: z.record(z.string(), z.object({ expressions: record.optional(), module: configModule.optional() })).optional(),
  }),
);

const providerConfig = z.object({
  name: z.string(),
  alias: z.string().optional(),
  module_address: z.string().optional(),
  expressions: record.optional(),
});
export type ProviderConfig = z.infer<typeof providerConfig>;

const planSchema = z.object({
  format_version: z.string(),
  terraform_version: z.string().optional(),
  variables: z.record(z.string(), z.object({ value: z.unknown().optional() })).optional(),
  planned_values: z.object({ root_module: stateModule.optional() }).optional(),
  resource_changes: z.array(resourceChange).optional(),
  prior_state: z.object({ values: z.object({ root_module: stateModule.optional() }).optional() }).optional(),
  configuration: z
    .object({
      provider_config: z.record(z.string(), providerConfig).optional(),
      root_module: configModule.optional(),
    })
    .optional(),
});
export type PlanJson = z.infer<typeof planSchema>;

/** The first bytes of a file (to recognise the binary plan, a zip archive, before decoding it as text). */
function head(file: string): Buffer {
  if (file === '-') return Buffer.alloc(0);
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(4);
    const n = readSync(fd, buf, 0, 4, 0);
    return buf.subarray(0, n);
  } catch {
    return Buffer.alloc(0); // readUserFile names the problem
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Checks a parsed JSON value is a plan representation; `label` names the file in the one-line error. */
export function toPlanJson(value: unknown, label: string): PlanJson {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new UsageError(`${label}: not a Terraform plan JSON (the file is not a JSON object); ${HOW}`);
  const v = value as Record<string, unknown>;
  if (typeof v.format_version !== 'string') {
    const what = 'schemaVersion' in v && 'targets' in v ? 'a packages-preflight report' : 'Version' in v && 'Statement' in v ? 'an IAM policy document' : 'a JSON file without "format_version"';
    throw new UsageError(`${label}: not a Terraform plan JSON (${what}); ${HOW}`);
  }
  const major = /^(\d+)\.\d+/.exec(v.format_version)?.[1];
  if (major !== '0' && major !== '1') throw new UsageError(`${label}: the plan's format_version "${v.format_version}" is not one this tool reads (0.x or 1.x); make the plan JSON with Terraform or OpenTofu 1.x`);
  if (!('planned_values' in v) && !('resource_changes' in v)) {
    const what = 'values' in v ? 'the JSON of a state, not of a plan: "terraform show -json" was run without a plan file' : 'no planned_values and no resource_changes';
    throw new UsageError(`${label}: not a Terraform plan JSON (${what}); ${HOW}`);
  }
  const parsed = planSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${label}: not a Terraform plan JSON as "terraform show -json" writes it (${issue.path.join('.') || 'the top level'}: ${issue.message}); ${HOW}`);
  }
  return parsed.data;
}

/** Reads and checks a plan JSON file (`-` reads standard input). Throws UsageError (exit 3). */
export function readPlanFile(file: string, label = `--terraform-plan ${file}`): PlanJson {
  const bytes = head(file);
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) throw new UsageError(`${label}: this is the binary plan file that "terraform plan -out" writes; convert it with "terraform show -json ${file} > plan.json" and give plan.json`);
  const text = readUserFile(file, label, HOW, { stdin: true, maxBytes: MAX_REPORT_BYTES });
  if (/^\s*\{"@level"/.test(text)) throw new UsageError(`${label}: this is the log of "terraform plan -json" (one message per line), not the plan; ${HOW}`);
  return toPlanJson(parseJsonInput(text, label, HOW, 'not a Terraform plan JSON (not valid JSON)'), label);
}
