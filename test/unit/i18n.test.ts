// The language machinery (issue 19): which language the environment and --lang choose, how a
// result is said in another language (ids + data, never the English text re-read), the
// pseudo-locale, and the console's alignment for CJK text.

import assert from 'node:assert/strict';
import stringWidth from 'string-width';
import { describe, test } from 'vitest';
import { createReporter, englishText } from '../../src/engine/check.ts';
import { langFromArgv, langFromEnv, langOf } from '../../src/i18n/lang.ts';
import { fillTemplate, isTextRef, placeholdersOf, pseudoLocalize } from '../../src/i18n/text.ts';
import { translator } from '../../src/i18n/translate.ts';
import { uiText } from '../../src/i18n/ui.ts';
import type { Result } from '../../src/model.ts';
import { renderConsole, statusLabels } from '../../src/report/console.ts';
import { buildReport } from '../../src/report/report.ts';

describe('choosing the language', () => {
  test('locale names map to the catalogs; C, POSIX and unsupported languages are English', () => {
    assert.equal(langOf('de_DE.UTF-8'), 'de');
    assert.equal(langOf('de_AT'), 'de');
    assert.equal(langOf('de-CH'), 'de');
    assert.equal(langOf('zh_CN.UTF-8'), 'zh-CN');
    assert.equal(langOf('zh_SG'), 'zh-CN');
    assert.equal(langOf('zh-Hans'), 'zh-CN');
    assert.equal(langOf('zh-cn'), 'zh-CN');
    assert.equal(langOf('zh_TW.UTF-8'), undefined, 'Traditional Chinese has no catalog');
    assert.equal(langOf('en_US.UTF-8'), 'en');
    assert.equal(langOf('C'), 'en');
    assert.equal(langOf('C.UTF-8'), 'en');
    assert.equal(langOf('POSIX'), 'en');
    assert.equal(langOf('fr_FR.UTF-8'), undefined);
    assert.equal(langOf('en-XA'), 'en-XA');
    assert.equal(langOf(''), undefined);
  });

  test('LC_ALL wins over LC_MESSAGES over LANG; empty values are skipped; nothing set is English', () => {
    assert.equal(langFromEnv({ LC_ALL: 'C', LC_MESSAGES: 'de_DE.UTF-8', LANG: 'zh_CN.UTF-8' }), 'en');
    assert.equal(langFromEnv({ LC_ALL: '', LC_MESSAGES: 'de_DE.UTF-8', LANG: 'zh_CN.UTF-8' }), 'de');
    assert.equal(langFromEnv({ LANG: 'zh_CN.UTF-8' }), 'zh-CN');
    assert.equal(langFromEnv({ LANG: 'fr_FR.UTF-8' }), 'en');
    assert.equal(langFromEnv({}), 'en');
  });

  test('--lang is found on the raw command line in both spellings, not after --', () => {
    assert.equal(langFromArgv(['check', '--lang', 'de', '--bucket', 'b']), 'de');
    assert.equal(langFromArgv(['report', '--lang=zh-CN']), 'zh-CN');
    assert.equal(langFromArgv(['check', '--', '--lang', 'de']), undefined);
  });
});

describe('texts by reference', () => {
  const check = {
    id: 'demo-check',
    title: 'A demo check',
    severity: 'high' as const,
    rationale: 'Why it matters.',
    remediation: 'Fix it this way.',
    references: ['https://example.com/doc'],
    messages: { found: 'Bucket {{bucket}} has {{count}} grants: {{grants}}. {{state}}', state: 'It is {{how}}.', fixStatement: 'Add {{statement}} to {{bucket}}.' },
  };

  test('a result keeps its message id and data (and the fix\'s), besides the English text', () => {
    const results: Array<Omit<Result, 'durationMs'>> = [];
    const report = createReporter(check, 'b', (r) => results.push(r));
    const data = { bucket: 'b1', count: 1234, grants: ['x', 'y'], state: { message: 'state', data: { how: 'open' } } };
    report.fail('found', data, { remediation: { message: 'fixStatement', data: { bucket: 'b1', statement: '{"Effect":"Deny"}' } } });
    report.warn('found', data);
    assert.equal(results[0].message, 'Bucket b1 has 1234 grants: x, y. It is open.');
    assert.deepEqual(results[0].messageRefs, [{ message: 'found', data }]);
    assert.equal(results[0].remediation, 'Add {"Effect":"Deny"} to b1.');
    assert.deepEqual(results[0].remediationRefs, [{ message: 'fixStatement', data: { bucket: 'b1', statement: '{"Effect":"Deny"}' } }]);
    assert.deepEqual(results[1].remediationRefs, [{ remediation: true }], 'the check\'s own fix is a reference too');
    assert.equal(englishText({ ui: 'engine.timeout', data: { seconds: 5 } }), 'The check did not finish within 5 s; treat it as not evaluated.');
  });

  test('English renderings are the stored text; another language is made from the refs, numbers through Intl', () => {
    const r = { check: 'waivers', title: 'x', message: 'English as stored', messageRefs: [{ ui: 'engine.timeout', data: { seconds: 1200 } }], remediation: 'stored fix', remediationRefs: [{ ui: 'engine.bugFix' }] };
    assert.equal(translator('en').message(r), 'English as stored');
    assert.equal(translator('de').message(r), 'Die Prüfung wurde nicht innerhalb von 1.200 s fertig; behandeln Sie sie als nicht ausgewertet.');
    assert.equal(translator('zh-CN').message(r), '该检查未在 1,200 秒内完成；请将其视为未评估。');
    assert.equal(translator('de').remediation(r), uiText('engine.bugFix', {}, 'de'));
    assert.equal(translator('de').remediation({ ...r, remediation: '' }), '', 'no fix stays no fix');
    assert.equal(translator('de').title(r), uiText('waivers.title', {}, 'de'));
  });

  test('a missing translation or a report without refs falls back to the English text, never to an id', () => {
    const t = translator('de');
    assert.equal(t.message({ check: 'no-such-check', message: 'English', messageRefs: [{ message: 'nope' }] }), 'English');
    assert.equal(t.message({ check: 'credentials', message: 'English, saved before refs existed' }), 'English, saved before refs existed');
    assert.equal(t.message({ check: 'x', message: 'English', messageRefs: [{ ui: 'no.such.id' }] }), 'English');
  });

  test('dates are Intl in the language (UTC), English keeps ISO 8601; durations have the language\'s unit words', () => {
    assert.equal(translator('en').dateTime('2026-12-02T14:00:00.000Z'), '2026-12-02T14:00:00.000Z');
    assert.match(translator('de').dateTime('2026-12-02T14:00:00.000Z'), /2\. Dezember 2026.*14:00:00/);
    assert.match(translator('zh-CN').dateTime('2026-12-02T14:00:00.000Z'), /2026年12月2日/);
    assert.equal(translator('de').dateTime('not a date'), 'not a date');
    assert.match(translator('de').duration(90_000), /1,5 Minuten/);
    assert.match(translator('zh-CN').duration(2500), /2\.5.*秒/);
  });

  test('placeholders: filled from data, lists joined, a missing one stays visible; a data object with other keys is data', () => {
    assert.equal(fillTemplate('{{a}} and {{ b }} and {{c}}', { a: 1, b: ['x', 'y'] }), '1 and x, y and {{c}}');
    assert.deepEqual(placeholdersOf('{{b}} {{a}} {{b}}'), ['a', 'b']);
    assert.equal(isTextRef({ message: 'x', data: {} }), true);
    assert.equal(isTextRef({ message: 'x', code: 'AccessDenied' }), false);
    assert.equal(isTextRef({ ui: 'a', message: 'b' }), false);
  });

  test('the pseudo-locale accents and lengthens every letter and leaves placeholders alone', () => {
    const p = pseudoLocalize('Bucket {{bucket}} is public.');
    assert.match(p, /^⟦Ɓûçķéţ \{\{bucket\}\} îš þûƀļîç\.·+⟧$/);
    assert.ok(p.length > 'Bucket {{bucket}} is public.'.length + 5);
    assert.equal(translator('en-XA').ui('md.target'), '⟦Ţåŕĝéţ··⟧');
    assert.equal(translator('en-XA').message({ check: 'credentials', message: 'x', messageRefs: [{ ui: 'engine.timeout', data: { seconds: 5 } }] }).includes(' 5 '), true, 'data is not accented');
  });
});

describe('the console in CJK', () => {
  test('status labels are padded to one display width (a CJK character is two columns)', () => {
    for (const lang of ['en', 'de', 'zh-CN', 'en-XA'] as const) {
      const widths = new Set(Object.values(statusLabels(lang)).map((l) => stringWidth(l)));
      assert.equal(widths.size, 1, `${lang}: ${[...widths].join(', ')}`);
    }
    assert.equal(statusLabels('en').pass, 'PASS ');
    assert.equal(statusLabels('zh-CN').skip, '跳过  ');
    assert.equal(statusLabels('zh-CN').error, '未评估');
  });

  test('every result line starts its check id in the same column, in Chinese as in English', () => {
    const result = (status: Result['status'], check: string): Result => ({ check, subject: 's', status, severity: 'low', title: 't', message: 'm', evidence: {}, remediation: '', references: [], durationMs: 0 });
    const report = buildReport({ tool: { name: 'packages-preflight', version: '0' }, pack: 'ghes-s3', target: {}, startedAt: new Date(0), finishedAt: new Date(0), results: ['pass', 'fail', 'warn', 'error', 'skip'].map((s) => result(s as Result['status'], `check-${s}`)), apiCalls: [] });
    for (const lang of ['en', 'zh-CN', 'de'] as const) {
      const lines = renderConsole(report, { color: false, lang }).trimEnd().split('\n').slice(0, 5);
      const columns = new Set(lines.map((l) => stringWidth(l.slice(0, l.indexOf('check-')))));
      assert.equal(columns.size, 1, `${lang}:\n${lines.join('\n')}`);
    }
    const colored = renderConsole(report, { color: true, lang: 'zh-CN' });
    assert.ok(colored.includes('\x1b[31m失败  \x1b[0m check-fail'), 'the Chinese label is coloured like the English one');
  });
});

describe('the GitHub Action in another language', () => {
  const result = (status: Result['status'], check: string, extra: Partial<Result> = {}): Result => ({ check, subject: 's', status, severity: 'high', title: 't', message: 'English message', evidence: {}, remediation: status === 'pass' ? '' : 'English fix', references: [], durationMs: 0, ...extra });
  const report = buildReport({
    tool: { name: 'packages-preflight', version: '0' },
    pack: 'ghes-s3',
    target: {},
    startedAt: new Date(0),
    finishedAt: new Date(0),
    results: [result('error', 'bucket-policy', { messageRefs: [{ ui: 'engine.interrupted' }], remediationRefs: [{ ui: 'fix.runAgain' }] }), result('fail', 'no-refs')],
    apiCalls: [],
  });

  test('annotations: title, message and fix in the language; a result without refs keeps its English', async () => {
    const { annotations, jobSummary, notAnnotatedNote } = await import('../../src/action/github.ts');
    const lines = annotations(report, 'de');
    assert.equal(lines[0], '::error title=no-refs [s]::English message Behebung: English fix');
    assert.equal(lines[1], `::warning title=bucket-policy [s] nicht ausgewertet::${uiText('engine.interrupted', {}, 'de')} Behebung: ${uiText('fix.runAgain', {}, 'de')}`);
    assert.deepEqual(annotations(report), annotations(report, 'en'), 'English by default');
    assert.match(notAnnotatedNote(3, 10, 'zh-CN'), /^> \*\*3 个发现未添加注释\*\*：GitHub 每个步骤最多显示 10 个错误注释/);
    assert.match(notAnnotatedNote(1, 10, 'de'), /^> \*\*1 Befund wurde nicht annotiert\*\*/);
    assert.match(jobSummary('x'.repeat(3000), 'reports/packages-preflight.md', 2048, 'de'), /\*\*Der Bericht wurde gekürzt, damit er in die Grenze der Auftragszusammenfassung von 2 KiB passt\.\*\* Der vollständige Bericht ist reports\/packages-preflight\.md/);
  });

  test('the lang input is a check flag like every other input', async () => {
    const { actionRun } = await import('../../src/action/github.ts');
    assert.deepEqual(actionRun({ INPUT_BUCKET: 'b', INPUT_LANG: 'zh-CN' }).args.slice(-2), ['--lang', 'zh-CN']);
  });
});

describe('a saved report older than a message\'s current shape', () => {
  const result = (data: Record<string, unknown>): Result => ({
    check: 'dedicated-bucket', subject: 'pkg', status: 'pass', severity: 'high', title: 'Packages bucket is not the Actions bucket',
    message: 'Packages (pkg) and Actions (act) use different buckets.', evidence: {}, remediation: '', references: [], durationMs: 1,
    messageRefs: [{ message: 'different', data }],
  });
  test('with the data the message needs, it is translated', () => {
    const text = translator('de').message(result({ packages: 'pkg', actions: 'act' }));
    assert.notEqual(text, 'Packages (pkg) and Actions (act) use different buckets.');
    assert.ok(text.includes('pkg') && text.includes('act') && !text.includes('{{'), text);
  });
  test('data missing a placeholder the message now has: the stored English, never a {{hole}}', () => {
    for (const lang of ['de', 'zh-CN', 'en-XA'] as const) {
      assert.equal(translator(lang).message(result({ bucket: 'pkg', actions: 'act' })), 'Packages (pkg) and Actions (act) use different buckets.');
    }
  });
});
