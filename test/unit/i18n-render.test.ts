// The demo scenario's report in every language (issue 19): reviewed snapshots of its Markdown in
// en, de and zh-CN, and the pseudo-locale proof that no text of the console, Markdown or HTML
// rendering bypasses the catalogs. The report is the demo's recorded JSON
// (test/fixtures/i18n/demo-report.json: `npm run demo -- --format json`), with waivers applied and
// an unreadable fact added, so the engine's and the waivers' texts are rendered too; no emulator.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lint, readConfig } from 'markdownlint/sync';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import bucketPolicy from '../../checks/s3-storage/bucket-policy.ts';
import { FactError } from '../../src/engine/fact-error.ts';
import { runChecks } from '../../src/engine/engine.ts';
import type { Lang } from '../../src/i18n/lang.ts';
import type { Result } from '../../src/model.ts';
import { renderConsole } from '../../src/report/console.ts';
import { renderHtml } from '../../src/report/html.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { md } from '../../src/report/markdown-text.ts';
import { parseReport } from '../../src/report/merge.ts';
import { buildReport, type Report } from '../../src/report/report.ts';
import { applyWaivers } from '../../src/report/waivers.ts';

const DEMO = parseReport(JSON.parse(readFileSync(new URL('../fixtures/i18n/demo-report.json', import.meta.url), 'utf8')), 'demo-report.json');

/** The demo plus what it lacks: an unreadable fact (engine texts), a waived finding and the waivers' own warnings. */
async function richReport(): Promise<Report> {
  const unreadable = await runChecks(
    [
      {
        ...bucketPolicy,
        run: () => {
          throw new FactError({ fact: 'bucketPolicy', api: 's3:GetBucketPolicy', resource: 'arn:aws:s3:::ghes-packages-demo', code: 'AccessDenied', httpStatus: 403, requestId: 'R1', message: 'Access Denied' });
        },
      },
    ],
    {} as never,
    { defaultSubject: 'ghes-packages-demo' },
  );
  const base = buildReport({ tool: DEMO.tool, pack: DEMO.pack, target: DEMO.target, startedAt: new Date(DEMO.startedAt), finishedAt: new Date(DEMO.finishedAt), results: [...DEMO.results.filter((r) => r.check !== 'bucket-policy'), ...unreadable], apiCalls: DEMO.apiCalls, environment: DEMO.environment });
  const failed = base.results.find((r) => r.status === 'fail')!;
  const today = DEMO.startedAt.slice(0, 10);
  return applyWaivers(
    base,
    [
      { check: failed.check, subject: failed.subject, reason: 'accepted by the storage team', expires: '2999-01-01', approvedBy: 'ciso@example.com' },
      { check: 'no-such-check', reason: 'typo', expires: '2999-01-01' },
      { check: 'bucket-acl', reason: 'old', expires: '2000-01-01' },
    ],
    new Set(DEMO.results.map((r) => r.check)),
    today,
  );
}

describe('reviewed snapshots: the demo scenario\'s Markdown in each language', () => {
  for (const lang of ['en', 'de', 'zh-CN'] as const) {
    test(`${lang}`, async () => {
      await expect(renderMarkdown(DEMO, { lang })).toMatchFileSnapshot(`../fixtures/i18n/demo.${lang}.md`);
    });
  }

  test('every language\'s Markdown passes markdownlint with the report\'s rules (tables keep their columns)', () => {
    const config = readConfig(new URL('../fixtures/report.markdownlint.yaml', import.meta.url).pathname, [parseYaml]);
    for (const lang of ['en', 'de', 'zh-CN', 'en-XA'] as const) {
      const problems = lint({ strings: { [lang]: renderMarkdown(DEMO, { lang }) }, config })[lang];
      assert.deepEqual(problems.map((p) => `${p.lineNumber} ${p.ruleNames.join('/')} ${p.errorDetail ?? ''}`), [], lang);
    }
  });

  test('English is exactly the report\'s stored English (rendering by reference changes nothing)', () => {
    const en = renderMarkdown(DEMO, { lang: 'en' });
    for (const r of DEMO.results) {
      assert.ok(en.includes(md(r.message)), `${r.check} [${r.subject}]: its stored message`);
      if (r.status !== 'pass' && r.status !== 'skip') assert.ok(en.includes(md(r.remediation)), `${r.check} [${r.subject}]: its stored fix`);
    }
    assert.equal(renderMarkdown(DEMO), en, 'English is the default');
  });

  test('German and Chinese differ from English in every heading, and keep every check id, subject and bucket', () => {
    const en = renderMarkdown(DEMO, { lang: 'en' });
    for (const lang of ['de', 'zh-CN'] as const) {
      const other = renderMarkdown(DEMO, { lang });
      const headings = (text: string) => text.split('\n').filter((l) => l.startsWith('#'));
      assert.equal(headings(other).length, headings(en).length);
      for (const id of new Set(DEMO.results.map((r) => r.check))) assert.equal(other.includes(`\`${id}\``), en.includes(`\`${id}\``), `${lang}: ${id}`);
      assert.ok(other.includes('ghes-packages-demo'));
      assert.notEqual(headings(other)[0], headings(en)[0]);
    }
  });
});

// --- the pseudo-locale proof -------------------------------------------------------------------

/** Every data value a rendering may show as it is: ids, subjects, names, references, the target, the refs' data. */
function dataValues(report: Report): string[] {
  const values = new Set<string>([report.pack, report.tool.name, report.tool.version, report.startedAt, report.finishedAt]);
  const add = (v: unknown): void => {
    if (typeof v === 'string') values.add(v);
    else if (typeof v === 'number') values.add(String(v));
    else if (Array.isArray(v)) {
      values.add(v.join(', '));
      v.forEach(add);
    } else if (v && typeof v === 'object') Object.values(v).forEach(add);
  };
  for (const [k, v] of Object.entries(report.target)) {
    values.add(k);
    add(typeof v === 'object' && v !== null ? JSON.stringify(v) : v);
  }
  if (report.environment) add([report.environment.endpoint, report.environment.partition]);
  for (const r of report.results) {
    add([r.check, r.subject, ...r.references]);
    for (const ref of [...(r.messageRefs ?? []), ...(r.remediationRefs ?? [])]) if ('data' in ref) add(ref.data);
  }
  // Longest first, so a value containing another is removed whole; one- and two-letter values
  // (a region letter, "s") could hide an untranslated word's piece and are never sentences.
  return [...values].filter((v) => /[A-Za-z]{3}/.test(v)).sort((a, b) => b.length - a.length);
}

/** What is left of a rendering once data, code, markup and evidence are taken out: only translated text. */
function leftover(text: string, values: string[], escape: (v: string) => string = (v) => v): string[] {
  let rest = text;
  for (const v of values) rest = rest.split(escape(v)).join(' ').split(v).join(' ');
  rest = rest
    .replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, ' ') // evidence fences
    .replace(/`[^`\n]*`/g, ' ') // code spans: ids, URLs, the environment line
    .replace(/<(style|script)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<pre>[\s\S]*?<\/pre>/g, ' ') // HTML evidence
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#?\w+;/g, ' ');
  return [...new Set(rest.match(/[A-Za-z]{2,}/g) ?? [])];
}

describe('pseudo-locale en-XA: no text bypasses the catalogs', () => {
  test('console, Markdown and HTML of the demo (plus an unreadable fact and waivers) have no unaccented word outside data', async () => {
    const report = await richReport();
    assert.ok(report.results.some((r) => r.status === 'error' && r.messageRefs?.some((ref) => 'ui' in ref)), 'the engine\'s texts are in the report');
    assert.ok(report.results.some((r) => r.check === 'waivers'), 'the waivers\' texts are in the report');
    const values = dataValues(report);
    const lang: Lang = 'en-XA';
    assert.deepEqual(leftover(renderConsole(report, { color: false, lang }), values), [], 'console');
    assert.deepEqual(leftover(renderMarkdown(report, { lang }), values, (v) => md(v)), [], 'Markdown');
    const page = renderHtml(report, { lang }).replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
    assert.deepEqual(leftover(page.slice(page.indexOf('<body>')), values), [], 'HTML');
  });

  test('the proof can fail: an English sentence a renderer adds is found', async () => {
    const report = await richReport();
    const values = dataValues(report);
    const withBypass = renderMarkdown(report, { lang: 'en-XA' }).replace('## ', '## Needs attention ');
    assert.deepEqual(leftover(withBypass, values, (v) => md(v)), ['Needs', 'attention']);
    // A result whose text has no refs (a saved report from before i18n) shows its English: found too.
    const legacy = { ...report, results: report.results.map((r): Result => ({ ...r, messageRefs: undefined })) };
    assert.ok(leftover(renderConsole(legacy, { color: false, lang: 'en-XA' }), values).length > 5);
  });

  test('JUnit messages and details are translated; case names stay language-neutral', async () => {
    const report = await richReport();
    const en = renderJunit(report, { lang: 'en' });
    const zh = renderJunit(report, { lang: 'zh-CN' });
    const names = (xml: string) => [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => `${m[1]}/${m[2]}`);
    assert.deepEqual(names(zh), names(en));
    assert.match(zh, /严重性：/);
    assert.match(zh, /<error message="无法读取针对 arn:aws:s3:::ghes-packages-demo 的 s3:GetBucketPolicy：访问被拒绝。/);
  });
});
