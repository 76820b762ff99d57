// `report history`: the picture a scheduled compliance job exists for, from the JSON reports of
// several nights (files or folders) and nothing else (no AWS call). Per target and check: counts
// per status over time (an inline SVG chart in HTML), when each finding appeared and when it was
// fixed, and the waivers that are about to expire (the JSON report records each applied waiver in
// the waived result's evidence, and expired ones as `waivers` results: src/report/waivers.ts).

import type { Result, Status, Summary } from '../model.ts';
import { STATUSES, summarize } from '../model.ts';
import { csvText } from './csv.ts';
import { STATUS_LABEL, STATUS_ORDER, htmlPage, statusBadge } from './html-page.ts';
import { html } from './html-text.ts';
import { md, mdCode } from './markdown-text.ts';
import { type Report, targetsOf } from './report.ts';

export const HISTORY_FORMATS = ['html', 'markdown', 'csv'] as const;
export type HistoryFormat = (typeof HISTORY_FORMATS)[number];
export const HISTORY_FILES: Record<HistoryFormat, string> = { html: 'packages-preflight-history.html', markdown: 'packages-preflight-history.md', csv: 'packages-preflight-history.csv' };

const ATTENTION: ReadonlySet<Status> = new Set(['fail', 'warn', 'error']);

export interface HistoryRun {
  label: string;
  startedAt: string;
  verdict: Report['verdict'];
  /** Counts per status per target, and per target and check. */
  targets: Map<string, { summary: Summary; checks: Map<string, Summary> }>;
}

/** A finding (target, check, subject with fail/warn/error) from the run it appeared in to the run it was gone in. */
export interface FindingSpan {
  target: string;
  check: string;
  subject: string;
  /** The worst status it had while open. */
  status: Status;
  message: string;
  appeared: string;
  lastSeen: string;
  /** The first later run of that target without it; undefined while still open. */
  fixed?: string;
  /** Set while the latest run shows it waived: the waiver's expiry. */
  waivedUntil?: string;
}

interface WaivedEvidence {
  originalStatus?: unknown;
  expires?: string;
  reason?: unknown;
  approvedBy?: unknown;
}

/** The waiver a result carries (src/report/waivers.ts puts it in the evidence), if any. */
function waiverOf(r: Result): WaivedEvidence | undefined {
  const w = r.evidence.waived as WaivedEvidence | undefined;
  return w && typeof w === 'object' && typeof w.expires === 'string' ? w : undefined;
}

export interface ExpiringWaiver {
  target: string;
  check: string;
  subject: string;
  expires: string;
  reason: string;
  approvedBy: string | null;
  /** Days from the latest run's date to the expiry; negative once expired. */
  daysLeft: number;
}

export interface History {
  runs: HistoryRun[];
  findings: FindingSpan[];
  waivers: ExpiringWaiver[];
  /** Waivers expiring within this many days of the latest run are listed. */
  withinDays: number;
}

const dayOf = (iso: string): string => iso.slice(0, 10);
const daysBetween = (from: string, to: string): number => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
const key = (target: string, r: Pick<Result, 'check' | 'subject'>): string => JSON.stringify([target, r.check, r.subject]);

/** Builds the history of reports (any order; sorted by start time). */
export function buildHistory(inputs: ReadonlyArray<{ label: string; report: Report }>, withinDays = 30): History {
  const sorted = [...inputs].sort((a, b) => Date.parse(a.report.startedAt) - Date.parse(b.report.startedAt));
  const runs: HistoryRun[] = [];
  const open = new Map<string, FindingSpan>();
  const findings: FindingSpan[] = [];
  for (const { label, report } of sorted) {
    const run: HistoryRun = { label, startedAt: report.startedAt, verdict: report.verdict, targets: new Map() };
    for (const t of targetsOf(report)) {
      const checks = new Map<string, Summary>();
      for (const r of t.results) {
        const s = checks.get(r.check) ?? summarize([]);
        s[r.status] += 1;
        checks.set(r.check, s);
      }
      run.targets.set(t.name, { summary: summarize(t.results), checks });
      const now = new Set<string>();
      // A waived finding is still there (the waiver turned its fail into a skip): not fixed.
      for (const r of t.results) {
        const waived = waiverOf(r);
        const status = waived && ATTENTION.has(waived.originalStatus as Status) ? (waived.originalStatus as Status) : r.status;
        if (!ATTENTION.has(status)) continue;
        const k = key(t.name, r);
        now.add(k);
        const span = open.get(k);
        if (span) {
          span.lastSeen = report.startedAt;
          span.message = r.message;
          span.waivedUntil = waived?.expires;
          if (STATUS_ORDER.indexOf(status) < STATUS_ORDER.indexOf(span.status)) span.status = status;
        } else {
          const created: FindingSpan = { target: t.name, check: r.check, subject: r.subject, status, message: r.message, appeared: report.startedAt, lastSeen: report.startedAt, waivedUntil: waived?.expires };
          open.set(k, created);
          findings.push(created);
        }
      }
      // Only a run that checked this target can say its findings are gone.
      for (const [k, span] of open) {
        if (span.target === t.name && !now.has(k)) {
          span.fixed = report.startedAt;
          open.delete(k);
        }
      }
    }
    runs.push(run);
  }
  return { runs, findings, waivers: expiringWaivers(sorted.at(-1)?.report, withinDays), withinDays };
}

/** Waivers in force in the latest report that expire within `withinDays` of its date, and the ones it reports expired. */
function expiringWaivers(latest: Report | undefined, withinDays: number): ExpiringWaiver[] {
  if (!latest) return [];
  const today = dayOf(latest.startedAt);
  const out: ExpiringWaiver[] = [];
  for (const t of targetsOf(latest)) {
    for (const r of t.results) {
      const waived = waiverOf(r);
      const expired = r.check === 'waivers' ? (r.evidence.waiver as { check?: unknown; subject?: unknown; expires?: unknown; reason?: unknown; approvedBy?: unknown } | undefined) : undefined;
      const w = waived ?? expired;
      if (!w || typeof w.expires !== 'string') continue;
      const daysLeft = daysBetween(today, w.expires);
      if (daysLeft > withinDays) continue;
      out.push({
        target: t.name,
        check: waived ? r.check : String(expired?.check ?? r.check),
        subject: waived ? r.subject : String(expired?.subject ?? ''),
        expires: w.expires,
        reason: String(w.reason ?? ''),
        approvedBy: typeof w.approvedBy === 'string' ? w.approvedBy : null,
        daysLeft,
      });
    }
  }
  return out.sort((a, b) => a.expires.localeCompare(b.expires));
}

const targetNames = (h: History): string[] => [...new Set(h.runs.flatMap((r) => [...r.targets.keys()]))];
const checkIds = (h: History, target: string): string[] => [...new Set(h.runs.flatMap((r) => [...(r.targets.get(target)?.checks.keys() ?? [])]))];
const dateLabel = (iso: string): string => iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');

// ---------------------------------------------------------------------------------------------
// HTML

const CHART_FILL: Record<Status, string> = { pass: '#1f6fc4', fail: '#c0390b', warn: '#e6b400', error: '#7b3f9e', skip: '#9aa3ab' };

/** Stacked bars, one per run, of the counts per status (bottom to top: fail, error, warn, skip, pass); each bar segment has a tooltip with its number. */
function chart(title: string, points: Array<{ label: string; summary: Summary }>): string {
  const width = Math.max(320, 60 + points.length * 36);
  const height = 200;
  const plot = { left: 40, top: 10, bottom: 40 };
  const max = Math.max(1, ...points.map((p) => STATUSES.reduce((n, s) => n + p.summary[s], 0)));
  const scale = (height - plot.top - plot.bottom) / max;
  const bar = 22;
  const parts: string[] = [`<svg class="chart" role="img" aria-label="${html(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`, `<title>${html(title)}</title>`];
  parts.push(`<line x1="${plot.left}" y1="${height - plot.bottom}" x2="${width - 10}" y2="${height - plot.bottom}" stroke="#1b1f24"></line>`, `<text x="4" y="${plot.top + 10}">${max}</text>`, `<text x="4" y="${height - plot.bottom}">0</text>`);
  points.forEach((p, i) => {
    const x = plot.left + 10 + i * 36;
    let y = height - plot.bottom;
    for (const s of STATUS_ORDER) {
      const n = p.summary[s];
      if (!n) continue;
      const h = n * scale;
      y -= h;
      parts.push(`<rect x="${x}" y="${y.toFixed(1)}" width="${bar}" height="${h.toFixed(1)}" fill="${CHART_FILL[s]}" stroke="#fff"><title>${html(p.label)}: ${n} ${STATUS_LABEL[s]}</title></rect>`);
    }
    parts.push(`<text x="${x + bar / 2}" y="${height - plot.bottom + 14}" text-anchor="middle">${i + 1}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** The numbers behind a chart, for readers who cannot see it (and for print). */
function countsTable(points: Array<{ label: string; summary: Summary }>): string {
  const head = `<tr><th scope="col">#</th><th scope="col">run</th>${STATUS_ORDER.map((s) => `<th scope="col" class="num">${STATUS_LABEL[s]}</th>`).join('')}</tr>`;
  const rows = points.map((p, i) => `<tr><td class="num">${i + 1}</td><td>${html(p.label)}</td>${STATUS_ORDER.map((s) => `<td class="num">${p.summary[s]}</td>`).join('')}</tr>`);
  return `<table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table>`;
}

/** Status of a check on a target per run: one badge per run (blank where the run did not check it). */
function checkTrend(h: History, target: string): string {
  const head = `<tr><th scope="col">check</th>${h.runs.map((_, i) => `<th scope="col" class="num">${i + 1}</th>`).join('')}</tr>`;
  const rows = checkIds(h, target).map((c) => {
    const cells = h.runs.map((run) => {
      const s = run.targets.get(target)?.checks.get(c);
      const worst = s && STATUS_ORDER.find((st) => s[st] > 0);
      return worst ? `<td class="st-${worst}">${statusBadge(worst)}</td>` : '<td class="st-none"><span class="sr">not checked</span></td>';
    });
    return `<tr><th scope="row"><code>${html(c)}</code></th>${cells.join('')}</tr>`;
  });
  return `<div class="heatmap-wrap"><table><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function findingsTable(h: History, fmt: (s: string) => string): string {
  if (!h.findings.length) return '<p>No finding in any run.</p>';
  const rows = h.findings.map(
    (f) =>
      `<tr><td>${html(f.target)}</td><td><code>${html(f.check)}</code></td><td>${html(f.subject)}</td><td>${statusBadge(f.status)}</td><td>${html(fmt(f.appeared))}</td><td>${fixedCell(f, fmt, html, (t) => `<strong>${t}</strong>`)}</td><td>${html(f.message)}</td></tr>`,
  );
  return `<table><thead><tr><th scope="col">target</th><th scope="col">check</th><th scope="col">subject</th><th scope="col">worst status</th><th scope="col">appeared</th><th scope="col">fixed</th><th scope="col">latest message</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function waiversTable(h: History): string {
  if (!h.waivers.length) return `<p>No waiver expires within ${h.withinDays} days of the latest run.</p>`;
  const rows = h.waivers.map((w) => `<tr><td>${html(w.target)}</td><td><code>${html(w.check)}</code></td><td>${html(w.subject)}</td><td>${html(w.expires)}</td><td>${html(daysText(w.daysLeft))}</td><td>${html(w.reason)}</td><td>${html(w.approvedBy ?? '')}</td></tr>`);
  return `<table><thead><tr><th scope="col">target</th><th scope="col">check</th><th scope="col">subject</th><th scope="col">expires</th><th scope="col">when</th><th scope="col">reason</th><th scope="col">approved by</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/** "fixed" column: the date it was gone, else open (and waived until when). */
function fixedCell(f: FindingSpan, fmt: (iso: string) => string, escape: (s: string) => string, strong: (s: string) => string): string {
  if (f.fixed) return escape(fmt(f.fixed));
  return f.waivedUntil ? `${strong('open')} ${escape(`(waived until ${f.waivedUntil})`)}` : strong('open');
}

const daysText = (d: number): string => (d < 0 ? `expired ${-d} day(s) ago` : d === 0 ? 'expires today' : `in ${d} day(s)`);

export function renderHistoryHtml(h: History): string {
  const targets = targetNames(h);
  const totals = h.runs.map((run) => ({ label: dateLabel(run.startedAt), summary: sumOf([...run.targets.values()].map((t) => t.summary)) }));
  const open = h.findings.filter((f) => !f.fixed).length;
  const body: string[] = [
    '<header class="banner"><div>',
    '<h1>packages-preflight history</h1>',
    `<p>${h.runs.length} run(s) from ${html(dateLabel(h.runs[0].startedAt))} to ${html(dateLabel(h.runs.at(-1)!.startedAt))}; ${targets.length} target(s); ${open} finding(s) open, ${h.findings.length - open} fixed; ${h.waivers.length} waiver(s) expiring within ${h.withinDays} days.</p>`,
    '</div></header>',
    '<main>',
    '<h2>Results per run, all targets</h2>',
    `<ul class="legend">${STATUS_ORDER.map((s) => `<li>${statusBadge(s)}</li>`).join('')}</ul>`,
    chart('Results per status per run, all targets', totals),
    countsTable(totals),
    '<h2>Waivers about to expire</h2>',
    waiversTable(h),
    '<h2>Findings: when they appeared and were fixed</h2>',
    findingsTable(h, dateLabel),
    '<h2>Per target</h2>',
  ];
  for (const target of targets) {
    const points = h.runs.flatMap((run) => {
      const t = run.targets.get(target);
      return t ? [{ label: dateLabel(run.startedAt), summary: t.summary }] : [];
    });
    body.push(`<h3>${html(target)}</h3>`, chart(`Results per status per run: ${target}`, points), '<details><summary>Status of each check per run</summary>', checkTrend(h, target), '</details>');
  }
  body.push('</main>', '<footer><p>Runs are numbered in time order; the numbers under each bar match the first column of the tables. Rendered from the JSON reports alone.</p></footer>');
  return htmlPage('packages-preflight history', body.join('\n'));
}

function sumOf(summaries: Summary[]): Summary {
  const out = summarize([]);
  for (const s of summaries) for (const st of STATUSES) out[st] += s[st];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Markdown

export function renderHistoryMarkdown(h: History): string {
  const targets = targetNames(h);
  const out: string[] = ['# packages-preflight history', '', `${h.runs.length} run(s), ${targets.length} target(s).`, '', '## Results per run', ''];
  out.push('| run | target | pass | fail | warn | error | skip |', '| --- | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const run of h.runs) for (const [name, t] of run.targets) out.push(`| ${md(dateLabel(run.startedAt))} | ${md(name)} | ${t.summary.pass} | ${t.summary.fail} | ${t.summary.warn} | ${t.summary.error} | ${t.summary.skip} |`);
  out.push('', '## Waivers about to expire', '');
  if (!h.waivers.length) out.push(`No waiver expires within ${h.withinDays} days of the latest run.`);
  else {
    out.push('| target | check | subject | expires | when | reason | approved by |', '| --- | --- | --- | --- | --- | --- | --- |');
    for (const w of h.waivers) out.push(`| ${md(w.target)} | ${mdCode(w.check)} | ${md(w.subject)} | ${md(w.expires)} | ${md(daysText(w.daysLeft))} | ${md(w.reason)} | ${md(w.approvedBy ?? '')} |`);
  }
  out.push('', '## Findings: when they appeared and were fixed', '');
  if (!h.findings.length) out.push('No finding in any run.');
  else {
    out.push('| target | check | subject | worst status | appeared | fixed |', '| --- | --- | --- | --- | --- | --- |');
    for (const f of h.findings) out.push(`| ${md(f.target)} | ${mdCode(f.check)} | ${md(f.subject)} | ${STATUS_LABEL[f.status]} | ${md(dateLabel(f.appeared))} | ${fixedCell(f, dateLabel, md, (t) => `**${t}**`)} |`);
  }
  out.push('');
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// CSV: one row per run, target and check with its counts per status (a spreadsheet pivots it).

/** RFC 4180 field; a cell a spreadsheet would read as a formula (=, +, -, @, tab, CR) is prefixed with '. */
export function renderHistoryCsv(h: History): string {
  const rows: unknown[][] = [];
  for (const run of h.runs) for (const [name, t] of run.targets) for (const [check, s] of t.checks) rows.push([run.startedAt, name, check, ...STATUS_ORDER.map((st) => s[st])]);
  return csvText(['run', 'target', 'check', ...STATUS_ORDER], rows);
}

export function renderHistory(h: History, format: HistoryFormat): string {
  if (format === 'html') return renderHistoryHtml(h);
  if (format === 'markdown') return renderHistoryMarkdown(h);
  return renderHistoryCsv(h);
}
