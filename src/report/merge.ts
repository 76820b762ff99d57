// Reading saved JSON reports back (`report --from`) and combining several into one (`report merge`,
// e.g. the shards of a fleet run). A report is only re-rendered or merged when it is one this tool
// could have written: schemaVersion 1, the result model intact, and a verdict that follows from its
// results (an edited verdict would be a false pass in every rendering). Problems are one line
// naming the file and the field, exit 3.

import { z } from 'zod';
import { MAX_REPORT_BYTES, parseJsonInput, readUserFile } from '../config/input-file.ts';
import { UsageError } from '../config/usage-error.ts';
import { SEVERITIES, STATUSES, type Summary, VERDICT_RANK, summarize, verdictOf } from '../model.ts';
import { combineTargets, type Report, SCHEMA_VERSION, type TargetReport, targetsOf } from './report.ts';
import { usageError } from '../i18n/usage.ts';

const count = z.number().int().nonnegative();
const summarySchema = z.object({ pass: count, fail: count, warn: count, error: count, skip: count });
const verdictSchema = z.enum(['compliant', 'non-compliant', 'incomplete']);
const isoTime = z.string().refine((v) => !Number.isNaN(Date.parse(v)), { message: 'must be an ISO 8601 time' });

// A result's language-neutral texts (src/i18n/text.ts TextRef): renderings in other languages read them.
const textData = z.record(z.string(), z.unknown()).optional();
const textRefSchema = z.union([z.strictObject({ message: z.string(), data: textData }), z.strictObject({ ui: z.string(), data: textData }), z.strictObject({ remediation: z.literal(true) })]);

const resultSchema = z.looseObject({
  check: z.string().min(1),
  subject: z.string(),
  status: z.enum(STATUSES),
  severity: z.enum(SEVERITIES),
  title: z.string(),
  message: z.string(),
  evidence: z.record(z.string(), z.unknown()),
  remediation: z.string(),
  references: z.array(z.string()),
  durationMs: z.number(),
  incomplete: z.literal(true).optional(),
  messageRefs: z.array(textRefSchema).optional(),
  remediationRefs: z.array(textRefSchema).optional(),
});

const apiCallSchema = z.looseObject({
  service: z.string(),
  operation: z.string(),
  resource: z.string(),
  outcome: z.string(),
  durationMs: z.number(),
  requestId: z.string().optional(),
});

// codeartifact's access matrix: what the Markdown table reads (checks/codeartifact/_access-matrix.ts).
const cellSchema = z.looseObject({ decision: z.enum(['allow', 'deny', 'depends']), statements: z.array(z.string()) });
const accessMatrixSchema = z.looseObject({
  domain: z.string(),
  interaction: z.string(),
  identitySide: z.string(),
  repositories: z.array(z.string()),
  principals: z.array(z.string()),
  rows: z.array(z.looseObject({ principal: z.string(), repository: z.string(), crossAccount: z.boolean(), read: cellSchema, publish: cellSchema, admin: cellSchema })),
  unreadable: z.array(z.looseObject({ repository: z.string(), code: z.string(), message: z.string() })),
});

const targetReportSchema = z.looseObject({
  name: z.string().min(1),
  target: z.record(z.string(), z.unknown()),
  verdict: verdictSchema,
  exitCode: z.number().int(),
  summary: summarySchema,
  results: z.array(resultSchema),
  apiCalls: z.array(apiCallSchema),
  interrupted: z.boolean().optional(),
  accessMatrix: accessMatrixSchema.optional(),
});

// Loose objects: fields a newer minor version adds are kept and written back unchanged.
const reportSchema = z.looseObject({
  schemaVersion: z.literal(SCHEMA_VERSION),
  tool: z.looseObject({ name: z.literal('packages-preflight'), version: z.string().min(1) }),
  pack: z.string().min(1),
  target: z.record(z.string(), z.unknown()),
  startedAt: isoTime,
  finishedAt: isoTime,
  verdict: verdictSchema,
  exitCode: z.number().int(),
  summary: summarySchema,
  results: z.array(resultSchema),
  apiCalls: z.array(apiCallSchema),
  interrupted: z.boolean().optional(),
  targets: z.array(targetReportSchema).optional(),
  accessMatrix: accessMatrixSchema.optional(),
});

const sameSummary = (a: Summary, b: Summary): boolean => STATUSES.every((s) => a[s] === b[s]);
const counts = (s: Summary): string => STATUSES.filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`).join(', ') || 'no results';

/** One line when the recorded summary or verdict does not follow from the results. */
function inconsistency(where: string, t: Pick<TargetReport, 'verdict' | 'exitCode' | 'summary' | 'results' | 'interrupted'>): string | undefined {
  const summary = summarize(t.results);
  if (!sameSummary(summary, t.summary)) return `${where}summary (${counts(t.summary)}) does not match its results (${counts(summary)})`;
  const expected = verdictOf(t.results, t.interrupted);
  if (expected.verdict !== t.verdict || expected.exitCode !== t.exitCode) {
    return `${where}verdict "${t.verdict}" (exit ${t.exitCode}) does not follow from its results (${counts(summary)}: "${expected.verdict}", exit ${expected.exitCode})`;
  }
  return undefined;
}

/** Validates a parsed JSON report; `label` names it in messages. Returns it unchanged. */
export function parseReport(data: unknown, label: string): Report {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) throw usageError('report.notAReport', { label });
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SCHEMA_VERSION) {
    throw usageError('report.schemaVersion', { label, version: JSON.stringify(version ?? null), supported: SCHEMA_VERSION });
  }
  const parsed = reportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue.path.map(String).join('.');
    const message = issue.code === 'invalid_type' && /received undefined/.test(issue.message) ? 'is missing' : issue.message;
    throw new UsageError(`${label}: "${path}" ${message}; the file is not an intact packages-preflight report`);
  }
  const report = data as Report;
  const broken = (why: string) => new UsageError(`${label}: ${why}; the file was edited or damaged, re-run the check`);
  if (report.targets) {
    const seen = new Set<string>();
    // Only a fleet shard may hold no targets (the shard's slice was empty); it is kept for the merge.
    if (report.targets.length === 0 && !shardInfo(report)) throw broken('the fleet report holds no targets');
    report.targets.forEach((t, i) => {
      // Every check of a run reports at least one result: none means it was cut out, and "no
      // findings" would re-render as compliant.
      if (t.results.length === 0) throw broken(`targets[${i}] (name "${t.name}") holds no results`);
      if (seen.has(t.name)) throw broken(`targets[${i}] repeats the target name "${t.name}"`);
      seen.add(t.name);
      const problem = inconsistency(`targets[${i}] (name "${t.name}"): `, t);
      if (problem) throw broken(problem);
    });
    const all = report.targets.flatMap((t) => t.results);
    if (all.length !== report.results.length || !sameSummary(summarize(all), report.summary)) throw broken('the fleet summary does not match its targets');
    const worst = report.targets.reduce<TargetReport | undefined>((w, t) => (!w || VERDICT_RANK[t.verdict] > VERDICT_RANK[w.verdict] ? t : w), undefined);
    if ((worst?.verdict ?? 'compliant') !== report.verdict || (worst?.exitCode ?? 0) !== report.exitCode) {
      throw broken(`the fleet verdict "${report.verdict}" is not its worst target's ("${worst?.verdict ?? 'compliant'}")`);
    }
  } else {
    if (report.results.length === 0) throw broken('it holds no results (every run reports at least one; none would re-render as compliant)');
    const problem = inconsistency('', report);
    if (problem) throw broken(problem);
  }
  return report;
}

/** Reads and validates a JSON report file. */
export function readReport(file: string, label = file): Report {
  const fix = 'give the packages-preflight.json a run wrote';
  return parseReport(parseJsonInput(readUserFile(file, label, fix, { maxBytes: MAX_REPORT_BYTES }), label, fix), label);
}

interface ShardInfo {
  index: number;
  count: number;
  fleetTargets: number;
}

function shardInfo(report: Report): ShardInfo | undefined {
  const shard = report.target.shard;
  const m = typeof shard === 'string' ? /^(\d+)\/(\d+)$/.exec(shard) : null;
  if (!m) return undefined;
  return { index: Number(m[1]), count: Number(m[2]), fleetTargets: Number(report.target.fleetTargets ?? NaN) };
}

/**
 * Combines reports (shards of one fleet, or any reports of one pack) into one fleet report, as if
 * one run had checked every target: targets sorted by name, verdict and exit code the worst
 * target's. Refuses mixed packs or tool versions, a target name found twice, and an incomplete set
 * of shards (a missing shard would read as a fleet with fewer problems).
 */
export function mergeReports(inputs: ReadonlyArray<{ label: string; report: Report }>): Report {
  if (inputs.length === 0) throw usageError('merge.none');
  const [first] = inputs;
  for (const { label, report } of inputs.slice(1)) {
    if (report.pack !== first.report.pack) throw usageError('merge.packs', { label, pack: report.pack, firstLabel: first.label, firstPack: first.report.pack });
    if (report.tool.version !== first.report.tool.version) {
      throw usageError('merge.versions', { label, version: report.tool.version, firstLabel: first.label, firstVersion: first.report.tool.version });
    }
  }
  const owner = new Map<string, string>();
  const targets: TargetReport[] = [];
  for (const { label, report } of inputs) {
    for (const t of targetsOf(report)) {
      const other = owner.get(t.name);
      if (other !== undefined) throw usageError('merge.duplicateTarget', { name: t.name, other, label });
      owner.set(t.name, label);
      // A single report seen as a target carries `interrupted: undefined`; keep the JSON shape.
      const { interrupted, ...rest } = t;
      targets.push(interrupted ? { ...rest, interrupted } : rest);
    }
  }
  const shards = inputs.map(({ label, report }) => ({ label, report, shard: shardInfo(report) })).filter((s) => s.shard);
  if (shards.length) {
    const { count: n, fleetTargets } = shards[0].shard!;
    const byIndex = new Map<number, string>();
    for (const s of shards) {
      if (s.shard!.count !== n || s.shard!.fleetTargets !== fleetTargets) {
        throw usageError('merge.otherRun', { label: s.label, index: s.shard!.index, count: s.shard!.count, targets: s.shard!.fleetTargets, firstLabel: shards[0].label, firstCount: n, firstTargets: fleetTargets });
      }
      byIndex.set(s.shard!.index, s.label);
    }
    const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length) throw usageError(missing.length > 1 ? 'merge.shardsMissing' : 'merge.shardMissing', { shards: missing.map((i) => `${i}/${n}`).join(', ') });
    const checked = shards.reduce((sum, s) => sum + targetsOf(s.report).length, 0);
    if (Number.isFinite(fleetTargets) && checked !== fleetTargets) throw usageError('merge.targetCount', { checked, targets: fleetTargets });
  }
  const times = inputs.map((i) => i.report);
  const startedAt = new Date(Math.min(...times.map((r) => Date.parse(r.startedAt))));
  const finishedAt = new Date(Math.max(...times.map((r) => Date.parse(r.finishedAt))));
  const interrupted = times.some((r) => r.interrupted);
  targets.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return combineTargets({ tool: first.report.tool, pack: first.report.pack, startedAt, finishedAt, interrupted }, targets);
}
