import { z } from 'zod';
import {
  codeArtifactOptionsSchema,
  codeArtifactPolicyOptionsSchema,
  loadExpectFile,
  readPolicyDir,
  readPolicyFile,
} from '../../config/codeartifact-options.ts';
import { endpointFromEnv } from '../../config/endpoint-env.ts';
import { awsOptionsShape, resolveOptions, UsageError, validate } from '../../config/options.ts';
import { buildReport } from '../../report/report.ts';
import { recommendedDomainPolicy, runCodeArtifactTarget } from '../../run/codeartifact.ts';
import { TOOL } from '../../version.ts';
import { finish, pickFlags, planOutput, runControl, sourcePath } from '../common.ts';
import { commandSession } from '../session.ts';
import { err, out } from '../output.ts';
import { usageError } from '../../i18n/usage.ts';

/** --region, else AWS_REGION / AWS_DEFAULT_REGION (validated like the flag). */
function resolveRegion(flag: string | undefined): string | undefined {
  if (flag) return flag;
  const name = process.env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  const env = process.env[name];
  if (!env) return undefined;
  try {
    return validate(z.object({ region: awsOptionsShape.region }), { region: env }, 'flag').region;
  } catch (e) {
    throw new UsageError(`${name} ${(e as Error).message.replace(/^--region /, '')}`);
  }
}

export async function runCodeArtifactCommand(args: Record<string, unknown>): Promise<number> {
  const flags = pickFlags(args, Object.keys(codeArtifactOptionsSchema.shape));
  const options = resolveOptions(codeArtifactOptionsSchema, flags);
  const offline = options.policyFile !== undefined || options.policyDir !== undefined;
  const region = resolveRegion(options.region);
  if (!offline && !region) throw usageError('cli.codeartifactRegion');
  // Read every input file before anything else: a bad file is exit 3 and no AWS call.
  const expect = options.expect ? loadExpectFile(options.expect) : undefined;
  const dir = options.policyDir !== undefined ? readPolicyDir(options.policyDir) : undefined;
  const policyText = options.policyFile !== undefined ? readPolicyFile(options.policyFile) : dir?.domain?.text;
  const endpointUrl = offline ? undefined : endpointFromEnv(options.endpointUrl);
  const output = planOutput(options);
  const control = runControl(options.timeout);
  try {
    const session = offline ? undefined : await commandSession({ ...options, region }, { endpointUrl, signal: control.signal });
    const startedAt = new Date();
    const target = await runCodeArtifactTarget({ ...options, region }, { session, signal: control.signal, policyText, expect, repositoryFiles: dir?.repositories });
    const report = buildReport({
      tool: TOOL,
      pack: 'codeartifact',
      target: options.policyFile ? { ...target.target, definedIn: sourcePath(options.policyFile) } : target.target,
      startedAt,
      finishedAt: new Date(),
      results: target.results,
      apiCalls: target.apiCalls,
      interrupted: target.interrupted,
      environment: target.environment,
      accessMatrix: target.accessMatrix,
    });
    return finish(report, { output, quiet: options.quiet, color: options.color, sarifAnchor: options.sarifAnchor });
  } finally {
    control.dispose();
  }
}

/** `codeartifact policy`: prints the recommended domain policy on stdout (JSON), how to apply it on stderr. */
export async function runCodeArtifactPolicyCommand(args: Record<string, unknown>): Promise<number> {
  const flags = pickFlags(args, Object.keys(codeArtifactPolicyOptionsSchema.shape));
  const options = validate(codeArtifactPolicyOptionsSchema, Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)), 'flag');
  out(`${JSON.stringify(recommendedDomainPolicy(options), null, 2)}\n`);
  const domain = options.domain ?? 'DOMAIN';
  err(
    `packages-preflight: check it with "packages-preflight codeartifact --domain ${domain} --policy-file policy.json --domain-owner ${options.domainOwner ?? 'ACCOUNT'} --org-id ${options.orgId}", ` +
      `then apply it with "aws codeartifact put-domain-permissions-policy --domain ${domain} --domain-owner ${options.domainOwner ?? 'ACCOUNT'} --policy-document file://policy.json" ` +
      '(add --policy-revision REVISION to replace a known revision only).',
  );
  return 0;
}
