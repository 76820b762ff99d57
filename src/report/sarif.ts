// SARIF 2.1.0 for GitHub code scanning (and any SARIF viewer): one run per target, one rule per
// check, one result per fail, warn or error (passes and skips are not alerts). Code scanning
// rejects a result without a location, so every cloud finding is anchored to the repository file
// that defined its target (the --config file, the fleet's targets file, the --policy-file), at the
// line of the key the check is about where that file can be read, else to --sarif-anchor.
// Validated against the official schema in test/unit/report-formats.test.ts.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type * as Sarif from 'sarif';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { codeArtifactChecks } from '../../checks/codeartifact/index.ts';
import { ghesActionsChecks } from '../../checks/ghes-actions-s3/index.ts';
import { ghesS3Checks } from '../../checks/ghes-s3/index.ts';
import type { Result, Severity, Status } from '../model.ts';
import { TOOL } from '../version.ts';
import { fingerprint } from './finding-context.ts';
import { type Report, type TargetReport, targetsOf } from './report.ts';

export interface SarifOptions {
  /** --sarif-anchor: the file results are anchored to when no file defined their target. */
  sarifAnchor?: string;
  /** Reads a repository file to find the line of a key; undefined when it cannot be read. */
  readSource?: (path: string) => string | undefined;
}

/** Documented default of --sarif-anchor: the conventional name of the tool's config file. */
export const DEFAULT_SARIF_ANCHOR = 'packages-preflight.yml';
/** GitHub code scanning limits (docs: "SARIF support for code scanning"). */
export const SARIF_LIMITS = { resultsPerRun: 25_000, runsPerFile: 20 } as const;
/** Where each pack's checks are documented (the README, as published with the package). */
export const DOCS_URL = 'https://www.npmjs.com/package/packages-preflight';
const PACK_DOCS: Record<string, string> = { 'ghes-s3': '#checks-pack-ghes-s3', 'ghes-actions-s3': '#github-actions-storage-on-s3-pack-ghes-actions-s3', codeartifact: '#codeartifact-domain-policies-pack-codeartifact' };
const CHECKS = new Map<string, { title: string; rationale: string; remediation: string; severity: Severity }>([...ghesS3Checks, ...ghesActionsChecks, ...codeArtifactChecks].map((c) => [c.id, c]));

const LEVEL: Partial<Record<Status, Sarif.Result.level>> = { fail: 'error', warn: 'warning', error: 'warning' };
/** GitHub reads 9.0+ as critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.1' };
/** The option key a check is about, to point at its line in a config or targets file. */
const KEY_OF_CHECK: Record<string, string> = {
  'service-url': 'serviceUrl',
  'dedicated-bucket': 'actionsBucket',
  'iam-simulation': 'principalArn',
  'least-privilege': 'principalArn',
  'kms-access': 'principalArn',
  'object-lock': 'maxRetentionDays',
  'storage-drift': 'baseline',
};

const ACTIONS_KEY_OF_CHECK: Record<string, string> = { 'dedicated-bucket': 'packagesBucket' };

const readFile = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};

interface Located {
  text: string;
  doc: ReturnType<typeof parseDocument>;
  lines: LineCounter;
}

function parseSource(text: string | undefined): Located | undefined {
  if (text === undefined) return undefined;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  return doc.errors.length ? undefined : { text, doc, lines };
}

const lineOf = (src: Located, node: YamlNode | undefined | null): number | undefined => (node?.range ? src.lines.linePos(node.range[0]).line : undefined);

/** The line of `key` in a mapping, where its key is written. */
function keyLine(src: Located, map: unknown, key: string): number | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
  return lineOf(src, pair?.key as YamlNode | undefined);
}

/** The statement a result is about, by its label (`Sid "X"` or `#N`, as the checks write it) in a policy document. */
function statementLine(src: Located, r: Result): number | undefined {
  const ev = r.evidence as { sid?: unknown; statement?: unknown; statements?: unknown[]; grantees?: Array<{ statements?: unknown[] }> };
  const first = ev.statements?.[0] ?? ev.grantees?.[0]?.statements?.[0] ?? ev;
  const label = typeof first === 'string' ? first : typeof first === 'object' && first !== null ? (first as { statement?: unknown }).statement : undefined;
  const sid = typeof (first as { sid?: unknown })?.sid === 'string' ? (first as { sid: string }).sid : typeof label === 'string' ? /^Sid "(.*)"$/.exec(label)?.[1] : undefined;
  const index = typeof label === 'string' ? /^#(\d+)$/.exec(label)?.[1] : undefined;
  const statements = src.doc.get('Statement', true);
  const items = isSeq(statements) ? statements.items : isMap(statements) ? [statements] : [];
  const item = sid !== undefined ? items.find((i) => isMap(i) && i.get('Sid') === sid) : index ? items[Number(index) - 1] : undefined;
  return lineOf(src, item as YamlNode | undefined);
}

/** The waiver a waivers result is about: its entry in the waivers file. */
function waiverLine(src: Located, r: Result): number | undefined {
  const waiver = (r.evidence as { waiver?: { check?: unknown; subject?: unknown } }).waiver;
  const list = src.doc.get('waivers', true);
  if (!waiver || !isSeq(list)) return undefined;
  const entry = list.items.find((i) => isMap(i) && i.get('check') === waiver.check && (i.get('subject') ?? undefined) === (waiver.subject ?? undefined));
  return lineOf(src, entry as YamlNode | undefined);
}

/** The line in the file that defined the target where the result's key is, else the target's entry, else 1. */
function anchorLine(src: Located | undefined, target: TargetReport, r: Result, pack: string): number {
  if (!src) return 1;
  if (pack === 'codeartifact') return statementLine(src, r) ?? 1;
  // An Actions target (storage: actions) names the other bucket, and with OpenID Connect the principal, by its own keys.
  const actions = target.target.storage === 'actions';
  const key = (actions ? ACTIONS_KEY_OF_CHECK[r.check] : undefined) ?? KEY_OF_CHECK[r.check] ?? 'bucket';
  const root = src.doc.contents;
  const targets = isMap(root) ? root.get('targets', true) : undefined;
  if (isSeq(targets)) {
    const entry = targets.items.find((i) => isMap(i) && i.get('name') === target.name);
    return keyLine(src, entry, key) ?? keyLine(src, entry, 'bucket') ?? lineOf(src, entry as YamlNode | undefined) ?? 1;
  }
  return keyLine(src, root, key) ?? keyLine(src, root, 'bucket') ?? 1;
}

function rule(id: string, example: Result, pack: string): Sarif.ReportingDescriptor {
  const meta = CHECKS.get(id);
  const title = meta?.title ?? example.title;
  const remediation = meta?.remediation ?? example.remediation;
  const rationale = meta?.rationale ?? title;
  return {
    id,
    name: id.replace(/(^|-)(\w)/g, (_, __, c: string) => c.toUpperCase()),
    shortDescription: { text: title },
    fullDescription: { text: rationale },
    help: { text: remediation ? `${rationale}\n\nFix: ${remediation}` : rationale },
    helpUri: `${DOCS_URL}${id === 'waivers' ? '#waivers' : (PACK_DOCS[pack] ?? '')}`,
    properties: { tags: ['security', pack], 'security-severity': SECURITY_SEVERITY[meta?.severity ?? example.severity], precision: 'high' },
  };
}

const RANK: Partial<Record<Status, number>> = { fail: 0, error: 1, warn: 2 };

/** The targets in at most 20 runs: one per target, or for a larger fleet 20 runs by a stable hash of the target name. */
function runGroups(targets: TargetReport[]): Array<{ id: string; targets: TargetReport[] }> {
  if (targets.length <= SARIF_LIMITS.runsPerFile) return targets.map((t) => ({ id: t.name, targets: [t] }));
  const groups = new Map<number, TargetReport[]>();
  for (const t of targets) {
    const slot = createHash('sha256').update(t.name, 'utf8').digest().readUInt32BE(0) % SARIF_LIMITS.runsPerFile;
    groups.set(slot, [...(groups.get(slot) ?? []), t]);
  }
  return [...groups.entries()].sort(([a], [b]) => a - b).map(([slot, ts]) => ({ id: `group-${String(slot + 1).padStart(2, '0')}-of-${SARIF_LIMITS.runsPerFile}`, targets: ts }));
}

/** A path the report recorded, if it is a repository file: one outside the working directory is recorded absolute. */
const repositoryFile = (path: unknown): string | undefined => (typeof path === 'string' && path !== '' && !isAbsolute(path) ? path : undefined);

export function renderSarif(report: Report, options: SarifOptions = {}): string {
  const read = options.readSource ?? readFile;
  const fallback = options.sarifAnchor ?? DEFAULT_SARIF_ANCHOR;
  const sources = new Map<string, Located | undefined>();
  const source = (path: string) => {
    if (!sources.has(path)) sources.set(path, parseSource(read(path)));
    return sources.get(path);
  };
  const runs = runGroups(targetsOf(report)).map((group): Sarif.Run => {
    const rules = new Map<string, Sarif.ReportingDescriptor>();
    const findings = group.targets.flatMap((t) => t.results.filter((r) => LEVEL[r.status]).map((r) => ({ t, r })));
    // Over the per-run limit, the most serious results are kept and the run says how many were left out.
    const kept = findings.length > SARIF_LIMITS.resultsPerRun ? [...findings].sort((a, b) => RANK[a.r.status]! - RANK[b.r.status]!).slice(0, SARIF_LIMITS.resultsPerRun) : findings;
    const dropped = findings.length - kept.length;
    const results = kept.map(({ t, r }): Sarif.Result => {
      if (!rules.has(r.check)) rules.set(r.check, rule(r.check, r, report.pack));
      const waiversFile = r.check === 'waivers' ? repositoryFile((r.evidence as { waiversFile?: unknown }).waiversFile) : undefined;
      const definedIn = waiversFile ?? repositoryFile(t.target.definedIn);
      const uri = definedIn ?? fallback;
      const src = definedIn ? source(definedIn) : undefined;
      const line = !src ? 1 : waiversFile ? (waiverLine(src, r) ?? 1) : anchorLine(src, t, r, report.pack);
      const text = `[${t.name}] ${r.subject}: ${r.message}${r.remediation ? ` Fix: ${r.remediation}` : ''}${r.status === 'error' ? ' (not evaluated)' : ''}`;
      return {
        ruleId: r.check,
        ruleIndex: [...rules.keys()].indexOf(r.check),
        level: LEVEL[r.status],
        message: { text },
        locations: [{ physicalLocation: { artifactLocation: { uri, uriBaseId: '%SRCROOT%' }, region: { startLine: line } } }],
        partialFingerprints: { 'packagesPreflightFinding/v1': fingerprint(t.name, r) },
        properties: { target: t.name, subject: r.subject, status: r.status, severity: r.severity, 'security-severity': SECURITY_SEVERITY[r.severity], evidence: r.evidence },
      };
    });
    return {
      tool: { driver: { name: TOOL.name, version: TOOL.version, informationUri: DOCS_URL, rules: [...rules.values()] } },
      automationDetails: { id: `${TOOL.name}/${report.pack}/${group.id}/` },
      originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The repository root (the directory the tool ran in).' } } },
      invocations: [
        {
          executionSuccessful: !group.targets.some((t) => t.interrupted),
          startTimeUtc: report.startedAt,
          endTimeUtc: report.finishedAt,
          ...(dropped
            ? { toolExecutionNotifications: [{ level: 'warning', message: { text: `${dropped} of ${findings.length} results were left out to respect the ${SARIF_LIMITS.resultsPerRun} results-per-run limit (warnings first, then errors); the JSON report has all of them.` } }] }
            : {}),
        },
      ],
      results,
      properties: { targets: group.targets.map((t) => ({ name: t.name, verdict: t.verdict, summary: t.summary })) },
    };
  });
  const log: Sarif.Log = { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs };
  return JSON.stringify(log, null, 2) + '\n';
}
