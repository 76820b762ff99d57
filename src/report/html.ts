// The HTML report: the Markdown report's content (verdict first, what was checked and where, each
// finding that needs attention by section with its evidence and fix, passes collapsed) as one
// self-contained page an auditor opens without the tool. Fleets add a heat map of targets × checks
// whose cells link to the finding, and list passes and skips without evidence (DESIGN.md: fleet
// HTML pages stay under 5 MB). Every interpolated string goes through html().

import type { Lang } from '../i18n/lang.ts';
import { gap } from '../i18n/text.ts';
import { type Translator, translator } from '../i18n/translate.ts';
import { leavesIncomplete, type Result, type Status } from '../model.ts';
import { SECTIONS, sectionOf } from './groups.ts';
import { STATUS_ICON, STATUS_ORDER, htmlPage, statusBadge as badge } from './html-page.ts';
import { html, htmlBlock } from './html-text.ts';
import { ACCESS_COLUMNS, accessCell, accessMatrixNote, sectionTitle } from './markdown.ts';
import { type Report, type TargetReport, targetsOf } from './report.ts';

const VERDICT_ICON = { compliant: '✓', 'non-compliant': '✗', incomplete: '?' } as const;

// The language of the page being rendered: set by renderHtml for the length of one (synchronous)
// rendering, so the helpers below need no extra parameter.
let tr: Translator = translator('en');
const statusBadge = (status: Status): string => badge(status, tr.status(status));
/** The tool's own sentences in element content: markup characters escaped, quotes kept (as written before translation). */
const txt = (text: string): string => htmlBlock(text);

/**
 * A translated sentence with markup in it (a link, a <time>): the sentence is escaped with the
 * slots as private-use characters html() leaves alone, then each slot becomes its markup.
 */
const SLOT = (i: number): string => `\uE000${i}\uE001`;
function withMarkup(sentence: (slot: (i: number) => string) => string, markup: string[]): string {
  let out = txt(sentence(SLOT));
  markup.forEach((m, i) => (out = out.replace(SLOT(i), m)));
  return out;
}

const SECTION_TITLES = [...SECTIONS.map((s) => s.title), 'Other'];

/** Ids by position: names and check ids may hold any character. */
const targetId = (t: number): string => `target-${t + 1}`;
const findingId = (t: number, r: number): string => `f-${t + 1}-${r + 1}`;
/** Anchors of the checks' glossary entries, by position in the report's check order. */
type CheckRefs = ReadonlyMap<string, string>;

const worstOf = (statuses: Status[]): Status | undefined => STATUS_ORDER.find((s) => statuses.includes(s));

function counts(t: TargetReport): string {
  const head = STATUS_ORDER.map((s) => `<th scope="col" class="num">${statusBadge(s)}</th>`).join('');
  const row = STATUS_ORDER.map((s) => `<td class="num">${t.summary[s]}</td>`).join('');
  return `<table class="counts"><thead><tr>${head}</tr></thead><tbody><tr>${row}</tr></tbody></table>`;
}

/** Where the run looked: every field the JSON report records for the target (bucket, region, endpoint, account...). */
function runAgainst(target: Record<string, unknown>, accounts: string[]): string {
  const rows = Object.entries(target)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `<tr><th scope="row">${html(k)}</th><td>${html(typeof v === 'object' ? JSON.stringify(v) : v)}</td></tr>`);
  if (accounts.length && !('account' in target)) rows.push(`<tr><th scope="row">${txt(tr.ui('html.accountFromEvidence'))}</th><td>${html(accounts.join(', '))}</td></tr>`);
  return `<table class="target"><tbody>${rows.join('')}</tbody></table>`;
}

/** AWS accounts the evidence names (the caller identity, resource owners), for the "run against" table. */
function accountsOf(results: Result[]): string[] {
  const found = new Set<string>();
  for (const r of results) {
    const account = (r.evidence as Record<string, unknown>).account;
    if (typeof account === 'string' && /^\d{12}$/.test(account)) found.add(account);
  }
  return [...found];
}

// One-space indentation: as readable, and fewer bytes in a 200-target fleet's page.
const evidence = (r: Result): string => `<details><summary>${txt(tr.ui('label.evidence'))}</summary><pre>${htmlBlock(JSON.stringify(r.evidence, null, 1))}</pre></details>`;

/** A fleet row's message: its first line, cut at a length a table cell reads at a glance (the JSON report keeps it whole). */
const SHORT_MESSAGE = 100;
function shortMessage(message: string): string {
  const line = message.split('\n', 1)[0];
  return line.length > SHORT_MESSAGE ? `${line.slice(0, SHORT_MESSAGE - 1)}…` : line;
}

/**
 * What a fleet target's earlier findings already showed, so a repeat links to it instead of
 * repeating it (a bucket that does not exist gives dozens of errors with one message, fix and
 * evidence). Undefined on a single target's page, which shows everything in place.
 */
interface Shown {
  /** Finding id by message + fix + evidence (and check, status): an exact repeat. */
  readonly whole: Map<string, string>;
  /** Fix span id, the finding it sits in and that finding's target, by remediation text: page-wide. */
  readonly fixes: Map<string, { span: string; finding: string; target: string }>;
  /** The target being rendered (its name, for the fix links of later targets). */
  readonly target: string;
}

/**
 * A fleet's passes and skips, one row per check, status and message with its subjects listed (seven
 * IAM actions skipped for one reason are one row). The row takes the id of its first result, the
 * one a heat-map cell links to (the cell opens the first result of the check's worst status).
 */
function compactRows(rest: { r: Result; id: string }[]): { first: Result; id: string; subjects: string[] }[] {
  const rows = new Map<string, { first: Result; id: string; subjects: string[] }>();
  for (const { r, id } of rest) {
    const key = JSON.stringify([r.check, r.status, tr.message(r)]);
    const row = rows.get(key);
    if (row) row.subjects.push(r.subject);
    else rows.set(key, { first: r, id, subjects: [r.subject] });
  }
  return [...rows.values()];
}

function finding(r: Result, id: string, level: number, refs: CheckRefs, shown?: Shown): string {
  // Terse markup here and in the rows below: it repeats for every result of every target.
  const heading = `<h${level}>${statusBadge(r.status)} <a href="#${refs.get(r.check)}"><code>${html(r.check)}</code></a> — ${html(r.subject)} <span class="muted">${txt(tr.ui('html.severity', { severity: tr.severity(r.severity) }))}</span></h${level}>`;
  const message = tr.message(r);
  const remediation = tr.remediation(r);
  const key = JSON.stringify([r.check, r.status, message, remediation ?? '', r.evidence]);
  const same = shown?.whole.get(key);
  if (same) {
    const link = `<a href="#${same}">${txt(tr.ui('html.sameAsLink', { check: r.check }))}</a>`;
    return `<article class="finding st-${r.status}" id="${id}" tabindex="-1">\n${heading}\n<p>${withMarkup((slot) => tr.ui('html.sameAs', { link: slot(0) }), [link])}</p>\n</article>`;
  }
  shown?.whole.set(key, id);
  let fix = '';
  if (remediation) {
    const earlier = shown?.fixes.get(remediation);
    const fixId = earlier?.span ?? `x${id}`;
    const button = `<button class="copy" data-copy="${fixId}" aria-label="${html(tr.ui('html.copyLabel', { check: r.check }))}">${txt(tr.ui('html.copy'))}</button>`;
    if (earlier) {
      const link = `<a href="#${earlier.finding}">${html(earlier.target)}: ${html(r.check)}</a>`;
      fix = `<p class="fix"><b>${txt(tr.ui('label.fix'))}</b> <span>${withMarkup((slot) => tr.ui('html.sameFix', { link: slot(0) }), [link])}</span> ${button}</p>`;
    } else {
      if (shown) shown.fixes.set(remediation, { span: fixId, finding: id, target: shown.target });
      fix = `<p class="fix"><b>${txt(tr.ui('label.fix'))}</b> <span id="${fixId}">${html(remediation)}</span> ${button}</p>`;
    }
  }
  return [`<article class="finding st-${r.status}" id="${id}" tabindex="-1">`, heading, `<p>${html(message)}</p>`, fix, evidence(r), '</article>'].join('\n');
}

/** CodeArtifact: principal × repository × read/publish/admin, the same table as the Markdown report's. */
function accessMatrixSection(m: NonNullable<TargetReport['accessMatrix']>, h: (n: number) => string): string {
  const out = [`<${h(1)}>${txt(tr.ui('access.heading'))}</${h(1)}>`, `<p>${html(accessMatrixNote(m.interaction, tr))}</p>`, `<p>${html(accessMatrixNote(m.identitySide, tr))}</p>`];
  if (m.rows.length === 0) out.push(`<p>${txt(tr.ui(m.repositories.length === 0 ? 'access.noRepositories' : 'access.noPrincipal'))}</p>`);
  else {
    const head = ACCESS_COLUMNS.map((c) => `<th scope="col">${txt(tr.ui(`access.column.${c}`))}</th>`).join('');
    out.push(`<table class="access"><thead><tr>${head}</tr></thead><tbody>`);
    for (const r of m.rows) {
      const by = [...new Set([r.read, r.publish, r.admin].filter((c) => c.decision !== 'deny').flatMap((c) => c.statements))];
      const cells = [html(r.principal), txt(tr.ui(r.crossAccount ? 'label.yes' : 'label.no')), html(r.repository), html(accessCell(r.read.decision, tr)), html(accessCell(r.publish.decision, tr)), html(accessCell(r.admin.decision, tr)), html(by.join('; '))];
      out.push(`<tr>${cells.map((c) => `<td>${c}</td>`).join('')}</tr>`);
    }
    out.push('</tbody></table>');
  }
  if (m.unreadable.length) out.push(`<ul>${m.unreadable.map((u) => `<li>${txt(tr.ui('access.unreadable', { repository: u.repository, code: u.code, message: u.message }))}</li>`).join('')}</ul>`);
  return out.join('\n');
}

function targetSection(t: TargetReport, index: number, level: number, fleet: boolean, refs: CheckRefs, fixes: Shown['fixes'] = new Map()): string {
  const h = (n: number) => `h${Math.min(6, level + n)}`;
  const out: string[] = [];
  if (fleet) out.push(`<section class="target" id="${targetId(index)}" aria-labelledby="${targetId(index)}-h">`, `<${h(0)} id="${targetId(index)}-h">${html(t.name)} — ${statusBadge(t.verdict === 'compliant' ? 'pass' : t.verdict === 'non-compliant' ? 'fail' : 'error')} ${txt(tr.ui(`verdict.${t.verdict}`))}</${h(0)}>`);
  out.push(`<${h(1)}>${txt(tr.ui('html.runAgainst'))}</${h(1)}>`, runAgainst(t.target, accountsOf(t.results)));
  // A fleet's counts are its row of the fleet summary.
  if (!fleet) out.push(counts(t));
  if (t.accessMatrix) out.push(accessMatrixSection(t.accessMatrix, h));
  const indexed = t.results.map((r, i) => ({ r, id: findingId(index, i) }));
  // A skip that leaves the run incomplete needs attention like an error does (as in Markdown).
  const attention = indexed.filter(({ r }) => (r.status !== 'pass' && r.status !== 'skip') || leavesIncomplete(r));
  if (attention.length) {
    out.push(`<${h(1)}>${txt(tr.ui('md.needsAttention'))}</${h(1)}>`);
    const shown: Shown | undefined = fleet ? { whole: new Map(), fixes, target: t.name } : undefined;
    for (const section of SECTION_TITLES) {
      const inSection = attention.filter(({ r }) => sectionOf(r.check) === section).sort((a, b) => STATUS_ORDER.indexOf(a.r.status) - STATUS_ORDER.indexOf(b.r.status));
      if (!inSection.length) continue;
      out.push(`<${h(2)}>${html(sectionTitle(section, tr))}</${h(2)}>`, ...inSection.map(({ r, id }) => finding(r, id, Math.min(6, level + 3), refs, shown)));
    }
  } else {
    out.push(`<p>${txt(tr.ui('md.nothingNeedsAttention'))}</p>`);
  }
  // At-a-glance section status (e.g. "Exposure: PASS"), so an auditor need not read every finding.
  out.push(`<${h(1)}>${txt(tr.ui('md.bySection'))}</${h(1)}>`, `<table><thead><tr><th scope="col">${txt(tr.ui('label.section'))}</th><th scope="col">${txt(tr.ui('label.result'))}</th></tr></thead><tbody>`);
  for (const section of SECTION_TITLES) {
    const rs = t.results.filter((r) => sectionOf(r.check) === section);
    const worst = worstOf(rs.map((r) => r.status));
    if (worst) out.push(`<tr><td>${html(sectionTitle(section, tr))}</td><td>${statusBadge(worst)} (${txt(tr.plural('label.results', rs.length))})</td></tr>`);
  }
  out.push('</tbody></table>');
  const rest = indexed.filter(({ r }) => (r.status === 'pass' || r.status === 'skip') && !leavesIncomplete(r));
  // Passes and skips as compact rows (as in the Markdown report). A single target's rows keep their
  // evidence; a fleet's do not (DESIGN.md: fleet pages): 200 targets × dozens of passes' evidence
  // made the page megabytes over its 5 MB budget, and the JSON report holds every result's evidence.
  if (rest.length) {
    const evidenceHead = fleet ? '' : `<th scope="col">${txt(tr.ui('html.evidenceColumn'))}</th>`;
    const row = (r: Result, id: string, subjects: string, message: string, evidenceCell: string) =>
      `<tr id="${id}"><td class="st-${r.status}">${STATUS_ICON[r.status]} ${txt(tr.status(r.status))}</td><td><code>${html(r.check)}</code></td><td>${subjects}</td><td>${message}</td>${evidenceCell}</tr>`;
    const rows = fleet
      ? compactRows(rest).map(({ first, id, subjects }) => row(first, id, subjects.map(html).join(', '), html(shortMessage(tr.message(first))), ''))
      : rest.map(({ r, id }) => row(r, id, html(r.subject), txt(tr.message(r)), `<td>${evidence(r)}</td>`));
    const head = ['status', 'check', 'subject', 'message'] as const;
    out.push(
      `<details class="rest"><summary>${txt(tr.ui('md.passedAndSkipped', { count: rest.length }))}</summary>`,
      `<table class="rest"><thead><tr>${head.map((c) => `<th scope="col">${txt(tr.ui(`label.${c}`))}</th>`).join('')}${evidenceHead}</tr></thead><tbody>`,
      ...rows,
      '</tbody></table></details>',
    );
  }
  if (fleet) out.push('</section>');
  return out.join('\n');
}

/** Check ids in report order: by section, then as first seen. */
function checkColumns(targets: TargetReport[]): string[] {
  const seen = [...new Set(targets.flatMap((t) => t.results.map((r) => r.check)))];
  return SECTION_TITLES.flatMap((section) => seen.filter((c) => sectionOf(c) === section));
}

/** Targets × checks, each cell the worst status of that check on that target, linking to that finding or pass/skip row. */
function heatMap(targets: TargetReport[]): string {
  const checks = checkColumns(targets);
  const head = checks.map((c) => `<th scope="col"><span>${html(c)}</span></th>`).join('');
  const rows = targets.map((t, ti) => {
    const cells = checks.map((c) => {
      const at = t.results.map((r, i) => ({ r, i })).filter(({ r }) => r.check === c);
      const worst = worstOf(at.map(({ r }) => r.status));
      if (!worst) return `<td class="st-none"><span class="sr">${txt(tr.ui('html.notRun'))}</span></td>`;
      const first = at.find(({ r }) => r.status === worst)!;
      const label = html(`${tr.status(worst)}${at.length > 1 ? ` (${tr.plural('label.results', at.length)})` : ''}`);
      // No per-cell title: the row and column headers say which target and check (200 × 26 cells add up).
      return `<td class="st-${worst}"><a href="#${findingId(ti, first.i)}">${STATUS_ICON[worst]}<span class="sr"> ${label}</span></a></td>`;
    });
    return `<tr><th scope="row"><a href="#${targetId(ti)}">${html(t.name)}</a></th>${cells.join('')}</tr>`;
  });
  return [
    `<p>${txt(tr.ui('html.heatMapHelp'))}</p>`,
    `<div class="heatmap-wrap" tabindex="0" role="region" aria-label="${html(tr.ui('html.heatMapLabel'))}">`,
    `<table class="heatmap"><thead><tr><th scope="col">${txt(tr.ui('label.target'))}</th>${head}</tr></thead><tbody>`,
    ...rows,
    '</tbody></table></div>',
  ].join('\n');
}

/**
 * Each check's title and references once, at the end, linked from every finding's check id: the
 * same references repeated under every result made a 200-target fleet's page megabytes larger.
 */
function checksGlossary(results: Result[], refs: CheckRefs): string {
  const first = new Map<string, Result>();
  for (const r of results) if (!first.has(r.check)) first.set(r.check, r);
  const entries = [...first.values()].map(
    (r) => `<dt id="${refs.get(r.check)}"><code>${html(r.check)}</code>: ${txt(tr.title(r))}</dt><dd>${r.references.length ? `${txt(tr.ui('label.references'))}${gap(tr.ui('label.references'))}${r.references.map(html).join('; ')}` : txt(tr.ui('html.noReferences'))}</dd>`,
  );
  return `<h2 id="checks">${txt(tr.ui('html.checksAndReferences'))}</h2><dl class="checks">${entries.join('')}</dl>`;
}

function legend(): string {
  return `<ul class="legend">${STATUS_ORDER.map((s) => `<li>${statusBadge(s)}</li>`).join('')}</ul>`;
}

export function renderHtml(report: Report, options: { lang?: Lang } = {}): string {
  tr = translator(options.lang);
  try {
    return page(report);
  } finally {
    tr = translator('en');
  }
}

function page(report: Report): string {
  const targets = targetsOf(report);
  const fleet = Boolean(report.targets);
  const refs: CheckRefs = new Map(checkColumns(targets).map((c, i) => [c, `check-${i + 1}`]));
  const title = tr.ui(`verdict.title.${report.verdict}`);
  const interrupted = report.interrupted ? ` · ${txt(tr.ui('html.interrupted'))}` : '';
  const time = (iso: string) => `<time>${html(tr.dateTime(iso))}</time>`;
  const runFrom = withMarkup(
    (slot) => tr.ui('report.runFrom', { start: slot(0), end: slot(1), tool: report.tool.name, version: report.tool.version, calls: report.apiCalls.length }),
    [time(report.startedAt), time(report.finishedAt)],
  );
  const body: string[] = [
    `<header class="banner v-${report.verdict}"><div>`,
    `<h1>${txt(tr.ui('report.title', { pack: report.pack }))}</h1>`,
    `<p class="verdict"><span aria-hidden="true">${VERDICT_ICON[report.verdict]}</span> ${txt(tr.ui('md.verdict', { verdict: title }))}</p>`,
    `<p>${txt(tr.ui(`verdict.text.${report.verdict}`))} · ${txt(tr.ui('html.exitCode', { exitCode: report.exitCode }))}${interrupted}</p>`,
    '</div></header>',
    '<main>',
    `<p>${runFrom}</p>`,
  ];
  if (fleet) {
    // The heat map first: on a large fleet it is the overview, the summary table a long list.
    body.push(`<h2>${txt(tr.ui('html.heatMap'))}</h2>`, legend(), heatMap(targets));
    body.push(
      `<h2>${txt(tr.ui('report.fleetSummary'))}</h2>`,
      `<table><thead><tr><th scope="col">${txt(tr.ui('label.target'))}</th><th scope="col">${txt(tr.ui('label.verdict'))}</th>`,
      ...STATUS_ORDER.map((s) => `<th scope="col" class="num">${txt(tr.status(s))}</th>`),
      '</tr></thead><tbody>',
    );
    targets.forEach((t, i) => body.push(`<tr><td><a href="#${targetId(i)}">${html(t.name)}</a></td><td>${txt(tr.ui(`verdict.${t.verdict}`))}</td>${STATUS_ORDER.map((s) => `<td class="num">${tr.number(t.summary[s])}</td>`).join('')}</tr>`));
    body.push('</tbody></table>', `<h2>${txt(tr.ui('html.targets'))}</h2>`, `<p>${txt(tr.ui('html.fleetNote'))}</p>`);
    const fixes: Shown['fixes'] = new Map();
    targets.forEach((t, i) => body.push(targetSection(t, i, 3, true, refs, fixes)));
  } else {
    body.push(targetSection(targets[0], 0, 1, false, refs));
  }
  body.push(checksGlossary(targets.flatMap((t) => t.results), refs), '</main>', `<footer><p>${txt(tr.ui('report.legend'))}</p></footer>`);
  return htmlPage(tr.ui('html.pageTitle', { verdict: title, pack: report.pack }), body.join('\n'), tr.lang);
}
