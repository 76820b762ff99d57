// The yargs program. Loaded by main.ts (the bootstrap) unless a fast path answers first; each
// command imports its runner (and with it the AWS SDK) only when it runs.

import yargs, { type Argv, type MiddlewareFunction } from 'yargs';
import { LANG_CHOICES, langFromArgv, langFromEnv, langOf, setLang } from '../i18n/lang.ts';
import { uiText } from '../i18n/ui.ts';
import { usageError } from '../i18n/usage.ts';
import { EXIT } from '../model.ts';
import { DEFAULT_FORMATS, FORMATS } from '../report/formats.ts';
import { nearest } from '../suggest.ts';
import { TOOL } from '../version.ts';
import { fail } from './output.ts';

const EXIT_CODES = `Exit codes:
  0  compliant: no check failed or errored (warnings and skips allowed)
  1  non-compliant: at least one check failed
  2  incomplete: nothing failed, but at least one check could not be evaluated
     (e.g. AccessDenied, throttling, timeout, unreachable endpoint, interrupted)
  3  bad input or usage: nothing was sent to AWS`;

/** Commands that print a policy or a script: no check runs, so the check exit codes do not apply. */
const PRINT_EXIT_CODES = `Exit codes:
  0  printed on standard output
  3  bad input or usage: nothing was printed`;

/**
 * List options: comma-separated, repeated, or both (src/config/options.ts listOf). Every other
 * option takes one value, and giving it twice is bad input (which one was meant?).
 */
const LIST_OPTIONS = new Set(['format', 'source-ip', 'allowed-accounts', 'files']);

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Counts each option on the raw command line (`--x v`, `--x=v`, `--no-x`): yargs turns a repeated
 * string into an array, but silently keeps the last of a repeated boolean or number in some
 * forms, so the rule is applied here, once, for every command.
 */
export function repeatedOptions(argv: readonly string[], known: ReadonlySet<string>, booleans: ReadonlySet<string>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const token of argv) {
    if (token === '--') break;
    if (!token.startsWith('--')) continue;
    let name = kebab(token.slice(2).split('=')[0]);
    if (name.startsWith('no-') && booleans.has(name.slice(3))) name = name.slice(3);
    if (!known.has(name) || LIST_OPTIONS.has(name)) continue;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return [...counts].filter(([, n]) => n > 1);
}

/** "Unknown argument: bukcet" → "Unknown argument: bukcet; did you mean --bucket?" (flags the user typed with dashes only). */
export function withSuggestions(message: string, argv: readonly string[], known: readonly string[]): string {
  const m = /^Unknown arguments?: (.+)$/.exec(message.trim());
  if (!m) return message;
  // yargs' own sentence, in the reader's language.
  message = uiText(m[1].includes(', ') ? 'cli.unknownArguments' : 'cli.unknownArgument', { names: m[1] });
  const typed = new Set(argv.filter((t) => t.startsWith('-')).map((t) => kebab(t.replace(/^-+/, '').split('=')[0])));
  const hints = [...new Set(m[1].split(', ').map(kebab))]
    .filter((name) => typed.has(name))
    .map((name) => [name, nearest(name, known)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([name, match]) => ({ name, match }));
  if (hints.length === 0) return message;
  const text = hints.length === 1 ? uiText('cli.didYouMean', { option: hints[0].match }) : hints.map((h) => uiText('cli.didYouMeanFor', { given: h.name, option: h.match })).join('; ');
  return `${message.trim()}; ${text}`;
}

export function awsOptions<T>(y: Argv<T>) {
  return y
    .option('region', { type: 'string', describe: 'AWS region of the bucket/domain (default: from the service URL or the SDK chain)', group: 'AWS:' })
    .option('profile', { type: 'string', describe: 'Named profile from ~/.aws/config (default: the standard SDK credential chain)', group: 'AWS:' })
    .option('endpoint-url', { type: 'string', describe: 'Send every AWS call to this endpoint (emulator, LocalStack); also AWS_ENDPOINT_URL', group: 'AWS:' })
    .option('timeout', { type: 'number', describe: 'Overall time limit in seconds; checks not finished by then are errors', group: 'AWS:' })
    .option('max-attempts', { type: 'number', describe: 'Attempts per AWS request, with adaptive retry and jittered backoff (default 4)', group: 'AWS:' })
    .option('proxy', { type: 'string', describe: 'HTTP(S) proxy for every AWS request, e.g. http://proxy:3128 (default: HTTPS_PROXY/HTTP_PROXY; NO_PROXY applies)', group: 'AWS:' })
    .option('ca-bundle', { type: 'string', describe: 'PEM file of extra certificate authorities to trust, e.g. a TLS-inspecting proxy\'s (default: AWS_CA_BUNDLE)', group: 'AWS:' });
}

const FORMAT_HELP = `Report formats, comma-separated or repeated: ${FORMATS.join(',')} (default: ${DEFAULT_FORMATS.join(',')})`;
const SARIF_ANCHOR_HELP = 'SARIF: the repository file a result is anchored to when no config, targets or policy file defined the target (default: packages-preflight.yml)';

export function outputOptions<T>(y: Argv<T>) {
  return y
    .option('format', { type: 'string', describe: FORMAT_HELP, group: 'Output:' })
    .option('sarif-anchor', { type: 'string', describe: SARIF_ANCHOR_HELP, group: 'Output:' })
    .option('output-dir', { type: 'string', describe: 'Folder for the reports (default: reports/)', group: 'Output:' })
    .option('stdout', { type: 'boolean', describe: 'Write the report (one --format) to standard output instead of files, e.g. --format json --stdout | jq; the summary goes to stderr', group: 'Output:' })
    .option('output', { type: 'string', nargs: 1, describe: 'Where the report goes: - for standard output (the same as --stdout)', group: 'Output:' })
    .option('waivers', { type: 'string', describe: 'YAML file of accepted findings (check, subject, reason, expires, approvedBy)', group: 'Output:' })
    .option('debug', { type: 'boolean', describe: 'Log every AWS request (redacted) and internal errors to stderr', group: 'Output:' })
    .option('quiet', { type: 'boolean', describe: 'Print only findings that need attention and the verdict', group: 'Output:' })
    .option('color', { type: 'boolean', describe: 'Colour the console summary (default: on a TTY unless NO_COLOR is set); --no-color turns it off', group: 'Output:' });
}

/** Options of both GHES storage commands (check: Packages, actions: Actions storage) beyond the target. */
function storageOptions<T>(y: Argv<T>) {
  return y
    .option('engine', { type: 'string', choices: ['auto', 'aws', 'local'], describe: 'IAM evaluation: aws = iam:SimulatePrincipalPolicy, local = built-in evaluator, auto = aws, falling back to local', group: 'Permissions:' })
    .option('source-ip', { type: 'string', describe: 'Address(es) GHES connects from (CIDR), for aws:SourceIp conditions; comma-separated or repeated', group: 'Permissions:' })
    .option('source-vpce', { type: 'string', describe: 'VPC endpoint id GHES connects through, for aws:SourceVpce conditions', group: 'Permissions:' })
    .option('max-retention-days', { type: 'number', describe: 'Longest Object Lock COMPLIANCE default retention you accept', group: 'Data safety:' })
    .option('probe', { type: 'boolean', describe: 'Also write, read, list and delete test objects under a unique prefix (removed before exit), with the checker\'s credentials', group: 'Active:' })
    .option('write-baseline', { type: 'string', describe: 'Record the storage identity GHES depends on in FILE', group: 'Active:' })
    .option('baseline', { type: 'string', describe: 'Compare with a baseline FILE written earlier (storage drift)', group: 'Active:' });
}

export function buildCli(argv: string[]) {
  /** Options of the command being parsed, set before validation (for "did you mean" and repeated flags). */
  let known: string[] = [];
  // Before validation, with the options of the command being parsed (yargs passes its instance).
  const rejectRepeated = (_args: unknown, y: { getOptions(): { key: Record<string, unknown>; boolean: string[] } }): void => {
    const options = y.getOptions();
    known = Object.keys(options.key).filter((k) => !/[A-Z]/.test(k));
    const [first] = repeatedOptions(argv, new Set(known), new Set(options.boolean));
    if (first) throw usageError('cli.repeated', { option: first[0], times: first[1] });
  };
  const program = yargs(argv)
    .scriptName('packages-preflight')
    .usage(
      '$0 <command> [options]\n\nChecks, with evidence an auditor can verify, that an AWS S3 bucket is safe and sufficient for GitHub Enterprise Server Packages storage, and audits AWS CodeArtifact domain policies. Read-only unless --probe.',
    )
    .command(
      'check',
      'Check the S3 bucket GHES Packages uses (or will use)',
      (y) =>
        outputOptions(
          awsOptions(
            storageOptions(
              y
                .usage(
                '$0 check --bucket NAME --service-url URL [options]\n\nRuns the ghes-s3 checks against one bucket and writes packages-preflight.json, .junit.xml and .md to --output-dir.',
              )
              .option('bucket', { type: 'string', describe: 'The Packages bucket (name, s3://name or arn:aws:s3:::name)', group: 'Target:' })
              .option('service-url', { type: 'string', describe: 'The "AWS Service URL" typed into the GHES console, e.g. https://s3.us-west-2.amazonaws.com (the value under test: a wrong or missing one fails service-url with the URL to type)', group: 'Target:' })
              .option('actions-bucket', { type: 'string', describe: 'The GitHub Actions storage bucket, to prove Packages uses a dedicated one (to check the Actions bucket itself, use the actions command)', group: 'Target:' })
              .option('principal-arn', { type: 'string', describe: 'Evaluate this IAM user/role (the one GHES uses) instead of the caller: auditor mode', group: 'Target:' })
              .option('config', { type: 'string', describe: 'YAML or JSON file with these options in camelCase (flags override it)', group: 'Target:' })
              .option('from-ghe-config', { type: 'string', nargs: 1, describe: 'Take bucket, service URL and Actions bucket from "ghe-config -l" output (FILE, or - for stdin)', group: 'Target:' })
              .option('use-ghe-credentials', { type: 'boolean', describe: 'With --from-ghe-config: evaluate with the Packages access key GHES itself uses (never printed)', group: 'Target:' })
              .option('terraform-plan', { type: 'string', nargs: 1, describe: 'Judge a Terraform/OpenTofu plan before apply: FILE from "terraform show -json PLANFILE"; no AWS call, no credentials', group: 'Terraform plan:' })
              .option('bucket-address', { type: 'string', describe: 'With --terraform-plan: the bucket\'s resource address, e.g. aws_s3_bucket.packages or module.storage.aws_s3_bucket.this[0]', group: 'Terraform plan:' })
              .option('user-address', { type: 'string', describe: 'With --terraform-plan: the GHES IAM user\'s resource address, e.g. aws_iam_user.ghes', group: 'Terraform plan:' }),
            )
              .example('$0 check --bucket ghes-packages --service-url https://s3.us-west-2.amazonaws.com', 'Check with the credentials of the standard AWS chain')
              .example('$0 check --config preflight.yml --principal-arn arn:aws:iam::123456789012:user/ghes-packages', 'Auditor mode: evaluate the GHES user with your own credentials')
              .example('ssh -p 122 admin@ghes ghe-config -l | $0 check --from-ghe-config - --use-ghe-credentials', 'Check exactly what the appliance is configured with')
              .example('$0 check --terraform-plan plan.json --bucket-address aws_s3_bucket.packages --user-address aws_iam_user.ghes --service-url https://s3.us-west-2.amazonaws.com', 'Check a plan in the pull request, before apply')
              .epilog(EXIT_CODES),
          ),
        ),
      async (args) => {
        const { runCheckCommand } = await import('./commands/check.ts');
        process.exitCode = await runCheckCommand(args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'actions',
      'Check the S3 bucket GHES uses for GitHub Actions storage (access keys or OpenID Connect)',
      (y) =>
        outputOptions(
          awsOptions(
            storageOptions(
              y
                .usage(
                '$0 actions --bucket NAME (--service-url URL | --region REGION) [--role-arn ARN --ghes-host HOST] [options]\n\nRuns the ghes-actions-s3 checks against the Actions bucket: the storage checks of "check" (the same seven S3 actions, KMS key access, a private and durable bucket, a bucket not shared with Packages) for the access-key user, or for the IAM role GHES assumes with OpenID Connect (--role-arn), plus the OpenID Connect trust. Writes the same reports as check. "check" keeps meaning Packages.',
              )
              .option('bucket', { type: 'string', describe: 'The Actions bucket (name, s3://name or arn:aws:s3:::name)', group: 'Target:' })
              .option('service-url', { type: 'string', describe: 'Access-key form: the "AWS Service URL" typed into the GHES console, e.g. https://s3.us-west-2.amazonaws.com', group: 'Target:' })
              .option('packages-bucket', { type: 'string', describe: 'The Packages bucket, to prove Actions uses a dedicated one', group: 'Target:' })
              .option('principal-arn', { type: 'string', describe: 'Access-key form: evaluate this IAM user (the one whose key GHES stores) instead of the caller', group: 'Target:' })
              .option('role-arn', { type: 'string', describe: 'OpenID Connect form: the "AWS Role" of the console; its policies are evaluated, and its trust is checked (needs --ghes-host; give the bucket\'s region with --region)', group: 'OpenID Connect:' })
              .option('ghes-host', { type: 'string', describe: 'The appliance\'s public host name; the OIDC issuer is https://HOST/_services/token', group: 'OpenID Connect:' })
              .option('ghes-url', { type: 'string', describe: 'Where to read the appliance\'s certificate and discovery documents (default: https://HOST)', group: 'OpenID Connect:' })
              .option('ghes-certificate', { type: 'string', describe: 'PEM file of the appliance\'s TLS certificate, instead of reading it live from --ghes-url', group: 'OpenID Connect:' })
              .option('config', { type: 'string', describe: 'YAML or JSON file with these options in camelCase (flags override it)', group: 'Target:' })
              .option('from-ghe-config', { type: 'string', nargs: 1, describe: 'Take the Actions bucket, service URL and Packages bucket from "ghe-config -l" output (FILE, or - for stdin)', group: 'Target:' })
              .option('use-ghe-credentials', { type: 'boolean', describe: 'With --from-ghe-config: evaluate with the Actions access key GHES itself uses (never printed)', group: 'Target:' }),
            )
              .example('$0 actions --bucket ghes-actions --service-url https://s3.us-west-2.amazonaws.com --packages-bucket ghes-packages', 'Access-key form, with the credentials of the standard AWS chain')
              .example('$0 actions --bucket ghes-actions --region us-west-2 --role-arn arn:aws:iam::123456789012:role/ghes-actions --ghes-host ghes.example.com', 'OpenID Connect form: the role\'s permissions and its trust')
              .example('ssh -p 122 admin@ghes ghe-config -l | $0 actions --from-ghe-config - --use-ghe-credentials', 'Check exactly the Actions storage the appliance is configured with')
              .epilog(EXIT_CODES),
          ),
        ),
      async (args) => {
        const { runActionsCommand } = await import('./commands/actions.ts');
        process.exitCode = await runActionsCommand(args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'fleet',
      'Check many Packages buckets (across accounts and credentials) in one run, with one combined report',
      (y) =>
        outputOptions(
          y
            .usage(
              "$0 fleet --targets FILE [--concurrency N] [--shard I/N] [options]\n\nRuns the ghes-s3 checks against every target in FILE and writes one packages-preflight.json (with `targets`), .junit.xml (one suite per target) and .md (fleet summary first). Targets with the same credentials share one session and the facts that are the same for them. The exit code is the worst target's.",
            )
            .option('targets', { type: 'string', describe: 'YAML or JSON file: { defaults: {...}, targets: [{ name, bucket, serviceUrl, region, actionsBucket, principalArn, profile, assumeRoleArn, externalId, ... }] } (the keys of --config)', group: 'Fleet:' })
            .option('concurrency', { type: 'number', describe: 'Targets checked at once (default 8, at most 64)', group: 'Fleet:' })
            .option('shard', { type: 'string', describe: 'Check only slice I of N (by a stable hash of the target name), e.g. 2/4 in a CI matrix; combine the slices with "report merge"', group: 'Fleet:' })
            .option('endpoint-url', { type: 'string', describe: 'Send every AWS call to this endpoint (emulator, LocalStack); also AWS_ENDPOINT_URL', group: 'AWS:' })
            .option('timeout', { type: 'number', describe: 'Overall time limit in seconds; checks not finished by then are errors', group: 'AWS:' })
            .option('max-attempts', { type: 'number', describe: 'Attempts per AWS request, with adaptive retry and jittered backoff (default 4)', group: 'AWS:' })
            .option('proxy', { type: 'string', describe: 'HTTP(S) proxy for every AWS request, e.g. http://proxy:3128 (default: HTTPS_PROXY/HTTP_PROXY; NO_PROXY applies)', group: 'AWS:' })
            .option('ca-bundle', { type: 'string', describe: 'PEM file of extra certificate authorities to trust, e.g. a TLS-inspecting proxy\'s (default: AWS_CA_BUNDLE)', group: 'AWS:' })
            .example('$0 fleet --targets fleet.yml', 'Check every target, eight at a time')
            .example('$0 fleet --targets fleet.yml --shard 2/4 --output-dir shard-2', 'One slice of a CI matrix; then "report merge shard-*/packages-preflight.json"')
            .epilog(EXIT_CODES),
        ),
      async (args) => {
        const { runFleetCommand } = await import('./commands/fleet.ts');
        process.exitCode = await runFleetCommand(args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'report',
      'Re-render a saved JSON report (--from), merge reports, e.g. fleet shards (merge), or draw the trend of nightly reports (history), with no AWS call; import findings into Security Hub (export)',
      (y) =>
        y
          .usage(
            '$0 report --from packages-preflight.json [--format junit,markdown] [--output-dir DIR]\n$0 report merge A.json B.json ... [--format ...] [--output-dir DIR]\n$0 report history NIGHTLY_DIR|A.json ... [--format html,markdown,csv] [--output-dir DIR]\n\nWrites the same reports a run writes, from saved JSON reports only. The exit code is the report\'s (the worst target\'s).',
          )
          .command(
            'merge <files..>',
            'Combine JSON reports (the shards of a fleet run, or reports of one pack) into one fleet report',
            (m) => m.positional('files', { type: 'string', array: true, describe: 'packages-preflight.json files to combine' }).epilog(EXIT_CODES),
            async (args) => {
              const { runReportMergeCommand } = await import('./commands/report.ts');
              process.exitCode = await runReportMergeCommand(args as unknown as Record<string, unknown>);
            },
          )
          .command(
            'export',
            'Import a saved report\'s findings into AWS Security Hub (BatchImportFindings, default product of your account): an explicit write',
            (e) =>
              // The AWS options of every AWS command (proxy and CA bundle included), region re-described.
              awsOptions(
                e
                  .usage('$0 report export --from packages-preflight.json --security-hub --region REGION [--profile P]\n\nSends one ASFF finding per result (the --format asff rendering) in batches of 100. Needs securityhub:BatchImportFindings (see "policy checker --security-hub"). Exit 0 when every finding was imported, 2 when any was not.')
                  .option('from', { type: 'string', describe: 'A packages-preflight.json written earlier', group: 'Input:' })
                  .option('security-hub', { type: 'boolean', describe: 'Import into AWS Security Hub (the destination must be named: this is a write)', group: 'Destination:' }),
              )
                .option('region', { type: 'string', describe: 'The Security Hub region to import into (or AWS_REGION)', group: 'AWS:' })
                .option('debug', { type: 'boolean', describe: 'Log every AWS request (redacted) to stderr', group: 'Output:' })
                .example('$0 report export --from reports/packages-preflight.json --security-hub --region eu-west-1', 'Import last night\'s findings into Security Hub')
                .epilog(EXIT_CODES),
            async (args) => {
              const { runReportExportCommand } = await import('./commands/report.ts');
              process.exitCode = await runReportExportCommand(args as unknown as Record<string, unknown>);
            },
          )
          .command(
            'history [files..]',
            'The trend over nightly JSON reports (files or folders): counts per status over time, when each finding appeared and was fixed, waivers about to expire',
            (m) =>
              m
                .positional('files', { type: 'string', array: true, describe: 'packages-preflight.json files, or folders holding them' })
                .option('format', { type: 'string', describe: 'html, markdown, csv; comma-separated or repeated (default: html)', group: 'Output:' })
                .option('output-dir', { type: 'string', describe: 'Folder for packages-preflight-history.* (default: reports/)', group: 'Output:' })
                .option('expiring-within', { type: 'number', describe: 'List waivers that expire within this many days of the latest run (default: 30)', group: 'Output:' })
                .example('$0 report history nightly/ --format html,csv --output-dir reports', 'The trend of every report saved under nightly/'),
            async (args) => {
              const { runReportHistoryCommand } = await import('./commands/report.ts');
              process.exitCode = await runReportHistoryCommand(args as unknown as Record<string, unknown>);
            },
          )
          .option('from', { type: 'string', describe: 'A packages-preflight.json written earlier (single target or fleet)', group: 'Input:' })
          .option('format', { type: 'string', describe: FORMAT_HELP, group: 'Output:' })
          .option('sarif-anchor', { type: 'string', describe: SARIF_ANCHOR_HELP, group: 'Output:' })
          .option('output-dir', { type: 'string', describe: 'Folder for the reports (default: reports/)', group: 'Output:' })
          .option('stdout', { type: 'boolean', describe: 'Write the report (one --format) to standard output instead of files; the summary goes to stderr', group: 'Output:' })
          .option('output', { type: 'string', nargs: 1, describe: 'Where the report goes: - for standard output (the same as --stdout)', group: 'Output:' })
          .option('quiet', { type: 'boolean', describe: 'Print only findings that need attention and the verdict', group: 'Output:' })
          .option('color', { type: 'boolean', describe: 'Colour the console summary (default: on a TTY unless NO_COLOR is set); --no-color turns it off', group: 'Output:' })
          .option('debug', { type: 'boolean', describe: 'Print the stack of an internal error (the one thing --debug adds without AWS)', group: 'Output:' })
          .example('$0 report --from reports/packages-preflight.json --format junit,markdown --output-dir rendered', 'Re-render a saved report')
          .example('$0 report merge shard-*/packages-preflight.json --output-dir reports', 'Merge the shards of a fleet run')
          .epilog(EXIT_CODES),
      async (args) => {
        const { runReportFromCommand } = await import('./commands/report.ts');
        process.exitCode = await runReportFromCommand(args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'codeartifact',
      'Audit the resource policy of an AWS CodeArtifact domain (live, or a policy file before it is applied)',
      (y) =>
        outputOptions(
          awsOptions(
            y
              .usage(
                '$0 codeartifact --domain NAME [--domain-owner ACCOUNT] [--region REGION] [--policy-file FILE | --policy-dir DIR] [options]\n\nRuns the codeartifact checks against the domain policy and every repository (policy, upstreams, package origin controls) read from AWS or, with --policy-file / --policy-dir, from files with no AWS call and no credentials; writes the same reports as check, with the access matrix.',
              )
              .command(
                'policy',
                'Print a recommended least-privilege domain policy for an AWS Organization (JSON on stdout)',
                (p) =>
                  p
                    .usage('$0 codeartifact policy --org-id o-... [--read-only] [--domain NAME --domain-owner ACCOUNT --region REGION]')
                    .option('read-only', { type: 'boolean', describe: 'Only GetAuthorizationToken and ReadFromRepository (no CreateRepository, TagResource, PublishPackageVersion)', group: 'Policy:' })
                    .example('$0 codeartifact policy --org-id o-a1b2c3d4e5 > domain-policy.json', 'Organization-wide read and publish, Resource "*"')
                    .example('$0 codeartifact policy --org-id o-a1b2c3d4e5 --read-only --domain packages --domain-owner 111122223333 --region eu-west-1', 'Read-only, scoped to the domain\'s ARNs')
                    .epilog(PRINT_EXIT_CODES),
                async (args) => {
                  const { runCodeArtifactPolicyCommand } = await import('./commands/codeartifact.ts');
                  process.exitCode = await runCodeArtifactPolicyCommand(args as unknown as Record<string, unknown>);
                },
              )
              .option('domain', { type: 'string', describe: 'The CodeArtifact domain name', group: 'Target:' })
              .option('domain-owner', { type: 'string', describe: 'The 12-digit account that owns the domain (default: the caller\'s; required offline for account-based checks)', group: 'Target:' })
              .option('policy-file', { type: 'string', describe: 'Check this policy document instead of the live one: offline, no AWS call, no credentials (e.g. in a pull request)', group: 'Target:' })
              .option('org-id', { type: 'string', describe: 'Your AWS Organizations id (o-...): grants confined to it are expected', group: 'Judgement:' })
              .option('allowed-accounts', { type: 'string', describe: 'Accounts allowed to have access, comma-separated or repeated; any other grant fails', group: 'Judgement:' })
              .option('expect', { type: 'string', describe: 'YAML file: principal ARN -> codeartifact action -> allow | deny, or principal ARN -> repository -> read|publish|admin|action -> allow | deny', group: 'Judgement:' })
              .option('policy-dir', { type: 'string', describe: 'Offline: DIR/domain.json, DIR/repositories/NAME.json (+ NAME.repository.json, NAME.packages.json); no AWS call', group: 'Target:' })
              .option('max-packages', { type: 'number', describe: 'Packages whose origin controls are read per repository with a public upstream (default 500)', group: 'Judgement:' })
              .example('$0 codeartifact --domain packages --domain-owner 111122223333 --region eu-west-1 --org-id o-a1b2c3d4e5', 'Audit the live domain policy')
              .example('$0 codeartifact --domain packages --domain-owner 111122223333 --policy-file domain-policy.json --expect expect.yml', 'Check a policy file in a pull request, before it is applied')
              .example('$0 codeartifact --domain packages --domain-owner 111122223333 --region eu-west-1 --policy-dir policies/ --allowed-accounts 444455556666', 'Check domain.json and repositories/*.json of a pull request')
              .epilog(EXIT_CODES),
          ),
        ),
      async (args) => {
        const { runCodeArtifactCommand } = await import('./commands/codeartifact.ts');
        process.exitCode = await runCodeArtifactCommand(args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'policy <kind>',
      'Print a recommended policy: ghes-user (identity policy for the GHES user), bucket (bucket policy), checker (what this tool needs), actions-role (trust and permission policies of the role GHES Actions assumes with OpenID Connect)',
      (y) =>
        y
          .positional('kind', { choices: ['ghes-user', 'bucket', 'checker', 'actions-role'] as const, describe: 'Which policy', demandOption: true })
          .option('bucket', { type: 'string', describe: 'The Packages bucket' })
          .option('kms-key', { type: 'string', describe: 'ghes-user: the bucket\'s SSE-KMS key ARN, adds kms:GenerateDataKey and kms:Decrypt' })
          .option('principal-arn', { type: 'string', describe: 'bucket: the IAM user or role GHES uses' })
          .option('source-ip', { type: 'string', describe: 'bucket: networks GHES and its users reach the bucket from (pre-signed downloads come from users); comma-separated or repeated' })
          .option('security-hub', { type: 'boolean', describe: 'checker: add the one write "report export --security-hub" needs (securityhub:BatchImportFindings on your default product)' })
          .option('region', { type: 'string', describe: 'checker: with --security-hub, the Security Hub region (default: any)' })
          .option('ghes-host', { type: 'string', describe: 'actions-role: the appliance\'s public hostname (the issuer is https://HOST/_services/token)' })
          .option('account', { type: 'string', describe: 'actions-role: the 12-digit account that holds the OIDC provider and the role (else ACCOUNT_ID is printed in its place)' })
          .example('$0 policy ghes-user --bucket my-ghes-packages > ghes-user-policy.json', 'Least-privilege identity policy for the GHES user')
          .example('$0 policy bucket --bucket my-ghes-packages --principal-arn arn:aws:iam::123456789012:user/ghes --source-ip 203.0.113.0/24', 'TLS-only bucket policy with an address restriction')
          .example('$0 policy actions-role --bucket my-ghes-actions --ghes-host ghes.example.com --account 123456789012 | jq .trustPolicy', 'OIDC role for Actions storage: trust policy (.trustPolicy) and least-privilege permissions (.permissionPolicy)')
          .epilog(PRINT_EXIT_CODES),
      async (args) => {
        const { runPolicyCommand } = await import('./commands/policy.ts');
        process.exitCode = runPolicyCommand(args.kind as 'ghes-user' | 'bucket' | 'checker' | 'actions-role', args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'checks',
      'List every check: id, title, severity and pack (no AWS call)',
      (y) =>
        y
          .usage('$0 checks [--format text|json]\n\nLists the checks of every pack, in the order they run; the ids are what --waivers and the reports name.')
          .option('format', { type: 'string', choices: ['text', 'json'], describe: 'text (a table, default) or json (an array of { id, title, severity, pack })' })
          .example('$0 checks --format json | jq -r \'.[].id\'', 'Every check id')
          .epilog(PRINT_EXIT_CODES),
      async (args) => {
        const { runChecksCommand } = await import('./commands/checks.ts');
        process.exitCode = await runChecksCommand(args as unknown as Record<string, unknown>);
      },
    )
    .command(
      'completion',
      'Print a bash/zsh completion script (e.g. packages-preflight completion >> ~/.bashrc)',
      (y) => y.usage('$0 completion\n\nPrints a bash/zsh completion script for packages-preflight on standard output.').example('$0 completion >> ~/.bashrc', 'Complete commands and options in bash').epilog(PRINT_EXIT_CODES),
      () => {
        program.showCompletionScript();
      },
    )
    .demandCommand(1, 'Name a command: check, actions, fleet, codeartifact, report, policy, checks or completion (see --help).')
    // Completion itself (the script calls --get-yargs-completions); the `completion` command above
    // prints the script, so `completion --help` prints help like every other command.
    .completion('completion-script', false)
    // The language of the reports and messages, on every command (the process's language is already
    // set from the raw argv in main(), so even the errors yargs' validation throws can use it).
    .option('lang', { type: 'string', choices: LANG_CHOICES as string[], global: true, describe: 'Language of the console, Markdown, HTML and JUnit reports and of messages: en, de, zh-CN (en-XA: pseudo-locale for testing); default from LC_ALL/LC_MESSAGES/LANG, else en. The JSON report is language-neutral' })
    .middleware(rejectRepeated as unknown as MiddlewareFunction, true)
    .strict()
    .recommendCommands()
    .epilog(EXIT_CODES)
    .version(TOOL.version)
    .help()
    .alias('h', 'help')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error, y) => {
      if (error) throw error;
      // Usage errors: one line, exit 3. `--help` is one flag away; a mistyped flag gets the nearest one.
      fail(`${withSuggestions(message, argv, known)} ${uiText('cli.runHelp')}`, EXIT.usage, y);
    });
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    // Before yargs or any validator can echo an argument: a pasted secret must already be known.
    const { registerResolvableSecrets } = await import('../config/known-secrets.ts');
    registerResolvableSecrets(argv);
    setLang(langOf(langFromArgv(argv)) ?? langFromEnv());
    await buildCli(argv).parseAsync();
  } catch (e) {
    const { reportFatal } = await import('./output.ts');
    process.exitCode = reportFatal(e, argv.includes('--debug'));
  }
}
