// The HTML report without a browser: every interpolated string is text (a table of hostile values
// through every field a result, a target and a fleet name carry), the page is self-contained (no
// URL it would load, a CSP whose hashes match the inline style and script), the heat map's cells
// link to findings that exist, and a 200-target fleet synthesised from a real run's results stays
// under 5 MB while its Markdown job summary is cut with the truncation note.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'vitest';
import { jobSummary, STEP_SUMMARY_LIMIT } from '../../src/action/github.ts';
import type { Result } from '../../src/model.ts';
import { html, htmlBlock } from '../../src/report/html-text.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { buildReport, combineTargets, type Report, type TargetReport } from '../../src/report/report.ts';
import { accessMatrixReport } from '../harness/access-matrix.ts';
import { assertOnlyOwnMarkup, FLEET_RUN, syntheticFleet } from '../harness/html.ts';


// Each attacks one HTML context: element content, an attribute value (both quote kinds), a comment,
// a script or style block, a URL, and the characters a viewer acts on (ESC, bidi override).
const HOSTILE = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "' onmouseover='alert(1)",
  '</pre></details></article><h1>COMPLIANT</h1>',
  '<!-- --><style>body{display:none}</style>',
  'javascript:alert(1)',
  '&lt;already&gt; &amp; escaped',
  'esc\u001b[2J bidi\u202eevil',
];

function hostileResult(text: string, status: Result['status']): Result {
  return {
    check: `check ${text}`,
    subject: `subject ${text}`,
    status,
    severity: 'high',
    title: `title ${text}`,
    message: `message ${text}`,
    evidence: { value: text, [text]: 'as key' },
    remediation: status === 'pass' ? '' : `fix ${text}`,
    references: [`reference ${text}`],
    durationMs: 1,
  };
}

function hostileReport(text: string): Report {
  const results = (['fail', 'warn', 'error', 'skip', 'pass'] as const).map((s) => hostileResult(text, s));
  const single = buildReport({ tool: { name: 'packages-preflight', version: `1 ${text}` }, pack: `pack ${text}`, target: { bucket: text, region: text, endpoint: text }, startedAt: new Date(0), finishedAt: new Date(1000), results, apiCalls: [] });
  const target: TargetReport = { name: text, target: single.target, verdict: single.verdict, exitCode: single.exitCode, summary: single.summary, results, apiCalls: [] };
  return combineTargets({ tool: single.tool, pack: single.pack, startedAt: new Date(0), finishedAt: new Date(1000) }, [target, { ...target, name: `${text} 2` }]);
}

describe('html(): the one escaping helper', () => {
  test('escapes markup and both quote kinds; shows control characters', () => {
    assert.equal(html(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    assert.equal(html('a\u001bb\u202ec\nd'), 'a\\u001bb\\u202ec\\nd');
    assert.equal(html(undefined), '');
    assert.equal(htmlBlock('{\n  "a": "<b>&"\n}'), '{\n  "a": "&lt;b&gt;&amp;"\n}');
  });
});

describe('renderHtml', () => {
  for (const text of HOSTILE) {
    test(`a hostile string stays text in every field: ${JSON.stringify(text)}`, () => {
      const page = renderHtml(hostileReport(text));
      assertOnlyOwnMarkup(page);
      assert.ok(page.includes(html(`message ${text}`)), 'the message is shown, escaped');
      assert.ok(page.includes(`Copy the fix for ${html(`check ${text}`)}`));
    });
  }

  test('self-contained: CSP default-src none with the hashes of the inline style and script, nothing to load', () => {
    const page = renderHtml(FLEET_RUN);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(page)?.[1];
    assert.ok(csp, 'a CSP meta tag');
    assert.match(csp, /^default-src 'none'; /);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:|\*/);
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const style = /<style>([\s\S]*?)<\/style>/.exec(page)![1];
    const script = /<script>([\s\S]*?)<\/script>/.exec(page)![1];
    assert.ok(csp.includes(`style-src ${hash(style)}`), 'style hash');
    assert.ok(csp.includes(`script-src ${hash(script)}`), 'script hash');
    assert.ok(!/url\(|@import|@font-face/.test(style), 'the style loads nothing');
    assert.ok(!/<[^>]*\s(src|srcset|action|style)=/.test(page), 'no tag loads anything or carries a style attribute (the CSP would refuse it)');
    assertOnlyOwnMarkup(page);
  });

  test('a single run: verdict banner, where it ran (bucket, region, account), sections, copy buttons, collapsed evidence', () => {
    const t = FLEET_RUN.targets![0];
    const single = buildReport({ tool: FLEET_RUN.tool, pack: FLEET_RUN.pack, target: t.target, startedAt: new Date(FLEET_RUN.startedAt), finishedAt: new Date(FLEET_RUN.finishedAt), results: t.results, apiCalls: t.apiCalls });
    const page = renderHtml(single);
    assert.match(page, /<header class="banner v-non-compliant">[\s\S]*Verdict: NON-COMPLIANT/);
    assert.match(page, /<th scope="row">bucket<\/th><td>ghes-packages-demo<\/td>/);
    assert.match(page, /<th scope="row">region<\/th><td>us-west-2<\/td>/);
    assert.ok(page.includes('<th scope="row">account</th><td>123456789012</td>'), 'the account');
    for (const section of ['Needs attention', 'By section', 'Passed and skipped']) assert.ok(page.includes(section), section);
    const fixes = t.results.filter((r) => r.remediation).length;
    assert.equal([...page.matchAll(/<button class="copy" data-copy="(x[^"]+)"/g)].filter((m) => page.includes(`<span id="${m[1]}">`)).length, fixes);
    assert.equal((page.match(/<details><summary>Evidence<\/summary>/g) ?? []).length, t.results.length, 'one collapsed evidence per result');
    assert.ok(!/<details[^>]* open/.test(page), 'evidence starts collapsed');
    assert.ok(!page.includes('class="heatmap"'), 'no heat map for one target');
  });

  test('fleet heat map: targets × checks, every cell links to a finding of that target and check', () => {
    const page = renderHtml(FLEET_RUN);
    const rows = [...page.matchAll(/<tr><th scope="row"><a href="#(target-\d+)">/g)];
    assert.equal(rows.length, FLEET_RUN.targets!.length);
    const links = [...page.matchAll(/<td class="st-(\w+)"><a href="#(f-(\d+)-(\d+))">/g)];
    assert.ok(links.length > 0);
    for (const [, status, id, ti, ri] of links) {
      assert.ok(page.includes(` id="${id}"`), `cell ${id} has a finding`);
      const r = FLEET_RUN.targets![Number(ti) - 1].results[Number(ri) - 1];
      assert.equal(r.status, status, `${id} opens a result with the cell's status`);
    }
  });
});

describe('fleet pages (issue 18 item 8: every finding in full, passes and skips compact)', () => {
  // Two copies of the real fleet (the second copy's fixes repeat the first's: page-wide links), its
  // first target with a finding repeated on another subject (in-target links).
  const [first, ...others] = FLEET_RUN.targets!;
  const fail = first.results.find((r) => r.status === 'fail')!;
  // A repeat of a finding on another subject (as a missing bucket gives one error per IAM action).
  const withRepeat = { ...FLEET_RUN, targets: [{ ...first, results: [...first.results, { ...fail, subject: 'another subject' }] }, ...others] };
  const fleet = syntheticFleet(withRepeat, FLEET_RUN.targets!.length * 2);
  const page = renderHtml(fleet);
  const articles = [...page.matchAll(/<article class="finding st-(\w+)" id="f-(\d+)-(\d+)"[^>]*>([\s\S]*?)<\/article>/g)];

  test('every fail, warn and error is an article: its message, fix and evidence in place or a link to the same shown earlier', () => {
    const findings = fleet.targets!.flatMap((t, ti) => t.results.map((r, ri) => ({ r, id: `f-${ti + 1}-${ri + 1}` }))).filter(({ r }) => ['fail', 'warn', 'error'].includes(r.status));
    assert.equal(articles.length, findings.length);
    let linked = 0;
    for (const { r, id } of findings) {
      const body = articles.find((a) => `f-${a[2]}-${a[3]}` === id)?.[4];
      assert.ok(body, `${id} has an article`);
      const same = /Same message, fix and evidence as <a href="#(f-\d+-\d+)">/.exec(body);
      const shown = same ? articles.find((a) => `f-${a[2]}-${a[3]}` === same[1])![4] : body;
      if (same) linked++;
      assert.ok(shown.includes(html(r.message)), `${id}: its message`);
      assert.ok(shown.includes(`<pre>${htmlBlock(JSON.stringify(r.evidence, null, 1))}</pre>`), `${id}: its evidence`);
      if (r.remediation) {
        const copy = /data-copy="([^"]+)"/.exec(shown);
        assert.ok(copy && page.includes(`<span id="${copy[1]}">${html(r.remediation)}</span>`), `${id}: its Copy button copies its fix`);
      }
    }
    assert.ok(linked > 0, 'repeats are linked (else this test proves nothing about them)');
    assert.ok(/the same as for <a href="#f-\d+-\d+">/.test(page), 'a fix shown earlier on the page is linked');
  });

  test('passes and skips: compact rows without evidence, one per check, status and message; the page points to the JSON report', () => {
    const rest = [...page.matchAll(/<details class="rest">[\s\S]*?<\/details>/g)].map((m) => m[0]);
    assert.equal(rest.length, fleet.targets!.filter((t) => t.results.some((r) => r.status === 'pass' || r.status === 'skip')).length);
    for (const block of rest) assert.ok(!block.includes('<summary>Evidence'), 'no evidence in a fleet pass/skip row');
    assert.match(page, /The JSON report holds every result's evidence\./);
    fleet.targets!.forEach((t, ti) => {
      const start = page.indexOf(`<section class="target" id="target-${ti + 1}"`);
      const section = page.slice(start, page.indexOf('</section>', start));
      const rows = [...section.matchAll(/<tr id="f-\d+-\d+"><td class="st-(\w+)">[^<]*<\/td><td><code>([^<]*)<\/code><\/td><td>([^<]*)<\/td>/g)];
      for (const r of t.results.filter((x) => x.status === 'pass' || x.status === 'skip')) {
        assert.ok(rows.some((m) => m[1] === r.status && m[2] === html(r.check) && m[3].split(', ').includes(html(r.subject))), `${t.name}: ${r.check} ${r.subject} has a row`);
      }
    });
  });

  test('a single target keeps every result\'s evidence in place (no links, no cut messages)', () => {
    const t = FLEET_RUN.targets![1];
    const single = buildReport({ tool: FLEET_RUN.tool, pack: FLEET_RUN.pack, target: t.target, startedAt: new Date(FLEET_RUN.startedAt), finishedAt: new Date(FLEET_RUN.finishedAt), results: t.results, apiCalls: t.apiCalls });
    const one = renderHtml(single);
    assert.equal((one.match(/<details><summary>Evidence<\/summary>/g) ?? []).length, t.results.length);
    assert.ok(!one.includes('Same message, fix and evidence as') && !one.includes('the same as for'));
  });
});

describe('sizes', () => {
  const big = syntheticFleet(FLEET_RUN, 200);

  test('a 200-target fleet (a real run\'s results) renders under 5 MB of HTML', () => {
    const bytes = Buffer.byteLength(renderHtml(big));
    assert.ok(bytes < 5 * 1024 * 1024, `${(bytes / 1024 / 1024).toFixed(2)} MB`);
  });

  test('its Markdown job summary is cut to 1 MiB with the truncation note', () => {
    const markdown = renderMarkdown(big);
    assert.ok(Buffer.byteLength(markdown) > STEP_SUMMARY_LIMIT, 'the fleet Markdown exceeds the limit (else this test proves nothing)');
    const summary = jobSummary(markdown, 'reports/packages-preflight.md');
    assert.ok(Buffer.byteLength(summary) <= STEP_SUMMARY_LIMIT);
    assert.match(summary, /The report was truncated to fit the 1024 KiB job-summary limit\.\*\* The full report is reports\/packages-preflight\.md/);
  });
});

describe('CodeArtifact access matrix in the HTML report', () => {
  test('the matrix is a table like the Markdown one; every principal, repository and statement is escaped', () => {
    const evil = 'arn:aws:iam::444455556666:role/x<script>alert(1)</script>';
    const report = accessMatrixReport({ principal: evil, repository: 'repo<b>', statement: 'Sid "<i>open</i>"', unreadableRepository: 'bad<b>', unreadableMessage: '<img src=x>', identitySide: 'identity <side>', interaction: 'both <em>policies</em>' });
    const page = renderHtml(report);
    assert.match(page, /<h\d>Effective access<\/h\d>/);
    const row = page.split('\n').find((l) => l.includes('role/x'))!;
    assert.equal(row.match(/<td>/g)?.length, 7, row);
    assert.match(row, /✅ allow<\/td><td>— deny<\/td><td>— deny/);
    for (const raw of ['x<script>alert', 'repo<b>', '<i>open', '<img src', '<em>policies', 'identity <side>']) assert.ok(!page.includes(raw), `${raw} is escaped`);
    assertOnlyOwnMarkup(page);
  });
});
