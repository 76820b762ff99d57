// The class "output that another program interprets", one table per reader: the terminal and CI
// log (terminalSafe, visibleControls), Markdown (md, mdCode, mdFence), JUnit (renderJunit), and the
// remediation each status carries (remediationFor).

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { remediationFor } from '../../src/engine/check.ts';
import { readFix } from '../../src/engine/fact-error.ts';
import type { Result } from '../../src/model.ts';
import { paintStatusLabels, renderConsole } from '../../src/report/console.ts';
import { renderJunit } from '../../src/report/junit.ts';
import { md, mdCode, mdFence } from '../../src/report/markdown-text.ts';
import { renderMarkdown } from '../../src/report/markdown.ts';
import { buildReport, combineTargets } from '../../src/report/report.ts';
import { terminalSafe, terminalSafeReport, visibleControls } from '../../src/report/terminal.ts';
import { accessMatrixReport } from '../harness/access-matrix.ts';

describe('terminal and CI log', () => {
  const cases: Array<[name: string, input: string, output: string]> = [
    ['ESC sequence (clear screen)', 'a\x1b[2Jb', 'a\\u001b[2Jb'],
    ['CR overwrites the line', 'ok\rFAIL', 'ok\\rFAIL'],
    ['C1 CSI', 'a\u009b2Jb', 'a\\u009b2Jb'],
    ['bidi override', 'abc\u202edef', 'abc\\u202edef'],
    ['bidi isolate', 'x\u2066y\u2069', 'x\\u2066y\\u2069'],
    ['line separator', 'a\u2028b', 'a\\u2028b'],
    ['NUL, BEL, DEL', '\u0000\u0007\u007f', '\\u0000\\u0007\\u007f'],
    ['workflow command at a line start', '::stop-commands::x', '\\::stop-commands::x'],
    ['workflow command after blanks (the runner trims them)', '  \t::error::x', '  \\t::error::x'],
    ['legacy command anywhere', 'see ##[warning]x', 'see ##\\u005bwarning]x'],
    ['plain text is unchanged', 'Bucket a-b is in us-west-2: fine.', 'Bucket a-b is in us-west-2: fine.'],
  ];
  for (const [name, input, output] of cases) test(`terminalSafe: ${name}`, () => assert.equal(terminalSafe(input), output));

  test('terminalSafe keeps the tool\'s own line breaks and neutralises each line start', () => {
    assert.equal(terminalSafe('FAIL x\n::error::y\n##[group]z\n'), 'FAIL x\n\\::error::y\n##\\u005bgroup]z\n');
  });

  test('JSON written to stdout stays valid JSON with the same data', () => {
    const data = { id: 'r\u007f\u0085\u202e\u2028 ##[warning]x ::stop-commands::y', nested: ['\u009b2J'] };
    const json = JSON.stringify(data, null, 2);
    assert.deepEqual(JSON.parse(terminalSafe(json)), data);
    assert.ok(!terminalSafe(json).includes('##['));
  });

  test('visibleControls makes a field one line', () => {
    assert.equal(visibleControls('rule\n::stop-commands::x\r\n'), 'rule\\n::stop-commands::x\\r\\n');
  });

  test('console: a hostile subject cannot start a line or carry an escape; colour only on the tool\'s own labels', () => {
    const report = buildReport({ tool: { name: 't', version: '1' }, pack: 'ghes-s3', target: {}, startedAt: new Date(0), finishedAt: new Date(1), apiCalls: [], results: [result('fail', 'r\nPASS  fake\n::stop-commands::x\x1b[2J')] });
    const text = renderConsole(report, { color: false });
    assert.equal(text.split('\n').filter((l) => l.startsWith('PASS')).length, 0, text);
    assert.ok(!text.includes('\x1b') && !/^\s*::/m.test(text), text);
    const painted = paintStatusLabels(terminalSafe(text));
    assert.equal(painted.split('\x1b[').length - 1, 2, 'one colour on and off, for the one result line');
  });
});

describe('Markdown', () => {
  const cases: Array<[name: string, input: string, output: string]> = [
    ['a fake heading', '# COMPLIANT', '\\# COMPLIANT'],
    ['an unclosed <details>', '<details><summary>x', '&lt;details&gt;&lt;summary&gt;x'],
    ['a table column', 'a|b', 'a\\|b'],
    ['a code span and emphasis', '`x` *y* _z_ ~w~', '\\`x\\` \\*y\\* \\_z\\_ \\~w\\~'],
    ['a link', '[click](https://evil.example)', '\\[click\\](`https://evil.example`)'],
    ['a newline and a command', 'a\n::stop-commands::x', 'a\\\\n::stop-commands::x'],
    ['an ESC sequence', '\x1b[2J', '\\\\u001b\\[2J'],
    ['a list item at the start', '- item', '\\- item'],
    ['an ordered list at the start', '1. item', '1\\. item'],
    ['a quote at the start', '> quoted', '&gt; quoted'],
    ['an indented code block', '    code', '&#32;   code'],
    ['an entity', '&lt;', '&amp;lt;'],
    ['a backslash', 'a\\b', 'a\\\\b'],
    ['a placeholder in a URL (the tool\'s own text)', 'Use https://s3.<bucket-region>.amazonaws.com (no path).', 'Use `https://s3.<bucket-region>.amazonaws.com` (no path).'],
    ['a URL at the end of a sentence', 'See https://docs.example/x.', 'See `https://docs.example/x`.'],
    ['a URL followed by Chinese text and full-width punctuation', '设为 https://s3.<bucket-region>.amazonaws.com（不含路径）。请使用 https://s3.us-west-2.amazonaws.com。', '设为 `https://s3.<bucket-region>.amazonaws.com`（不含路径）。请使用 `https://s3.us-west-2.amazonaws.com`。'],
    ['plain text', 'Bucket a-b is in us-west-2.', 'Bucket a-b is in us-west-2.'],
  ];
  for (const [name, input, output] of cases) test(`md: ${name}`, () => assert.equal(md(input), output));

  test('mdCode: plain ids as code, anything else escaped', () => {
    assert.equal(mdCode('service-url'), '`service-url`');
    assert.equal(mdCode('a`b|c'), 'a\\`b\\|c');
  });

  test('mdFence: no backtick run in the content closes the fence; controls shown', () => {
    assert.deepEqual(mdFence('json', '"a ``` b\u202e"'), ['````json', '"a ``` b\\u202e"', '````']);
  });

  test('a fleet report: hostile names stay in their cell and link to an anchor; severity in every finding heading', () => {
    const t = (name: string, status: Result['status']) => ({ name, target: { bucket: name }, verdict: 'non-compliant' as const, exitCode: 1, summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 }, results: [{ ...result(status, 'x'), check: 'bucket-acl' }], apiCalls: [] });
    const report = combineTargets({ tool: { name: 't', version: '1' }, pack: 'ghes-s3', startedAt: new Date(0), finishedAt: new Date(1) }, [t('a|b <details>', 'fail'), t('# COMPLIANT', 'fail')]);
    const out = renderMarkdown(report);
    assert.match(out, /^\| \[a\\\|b &lt;details&gt;\]\(#target-1\) \| non-compliant \|/m);
    assert.match(out, /^\| \[\\# COMPLIANT\]\(#target-2\) \|/m);
    assert.match(out, /^<a id="target-2"><\/a>$/m);
    assert.doesNotMatch(out, /^# COMPLIANT/m);
    for (const h of out.split('\n').filter((l) => l.startsWith('##### '))) assert.match(h, /\(severity high\)/);
  });
});

describe('JUnit', () => {
  const junitOf = (results: Result[], fleet = false) => {
    const base = { tool: { name: 't', version: '1' }, pack: 'ghes-s3', startedAt: new Date(0), finishedAt: new Date(1500) };
    if (!fleet) return renderJunit(buildReport({ ...base, target: { bucket: 'b' }, apiCalls: [], results }));
    const t = (name: string) => ({ name, target: {}, verdict: 'compliant' as const, exitCode: 0, summary: { pass: 1, fail: 0, warn: 0, error: 0, skip: 0 }, results, apiCalls: [] });
    return renderJunit(combineTargets(base, [t('prod'), t('stage')]));
  };

  test('a skip says why in the attribute (Jenkins) and the text (GitLab)', () => {
    assert.match(junitOf([result('skip', 's')]), /<skipped message="m">m\n/);
  });
  test('a warn is a passing case whose name says WARN, details in system-out', () => {
    assert.match(junitOf([result('warn', 's')]), /<testcase classname="bucket-acl" name="WARN: s" time="0\.001">\s*<system-out>WARNING: m/);
  });
  test('no testsuites@skipped; suite time is the run\'s', () => {
    const xml = junitOf([result('skip', 's')]);
    assert.doesNotMatch(xml, /<testsuites [^>]*skipped/);
    assert.match(xml, /<testsuite [^>]*skipped="1" time="1\.500"/);
  });
  test('(classname, name) is unique: target in a fleet\'s classname, a repeat within a target numbered', () => {
    const fleet = junitOf([result('pass', 's')], true);
    assert.match(fleet, /classname="prod\.bucket-acl" name="s"/);
    assert.match(fleet, /classname="stage\.bucket-acl" name="s"/);
    const twice = junitOf([result('pass', 's'), result('fail', 's')]);
    assert.match(twice, /name="s" time/);
    assert.match(twice, /name="s \(2\)" time/);
  });
  test('control characters are shown, never dropped or written raw', () => {
    const xml = junitOf([{ ...result('fail', 'a\x1b[2J\u202e'), message: 'm\u0007' }]);
    assert.match(xml, /name="a\\u001b\[2J\\u202e"/);
    assert.match(xml, /message="m\\u0007"/);
  });
});

describe('remediation fits the result', () => {
  const check = { remediation: 'Reset the ACL.' };
  const rows: Array<[status: Result['status'], evidence: Record<string, unknown>, explicit: string | undefined, expected: RegExp]> = [
    ['pass', {}, undefined, /^$/],
    ['pass', {}, 'a statement to add', /^$/],
    ['skip', {}, undefined, /^$/],
    ['fail', {}, undefined, /^Reset the ACL\.$/],
    ['warn', {}, 'the exact statement', /^the exact statement$/],
    ['error', { api: 's3:GetBucketAcl', resource: 'arn:aws:s3:::b', code: 'AccessDenied' }, undefined, /^Grant the checker s3:GetBucketAcl on arn:aws:s3:::b/],
    ['error', { api: 's3:HeadBucket', resource: 'arn:aws:s3:::b', code: 'Forbidden' }, undefined, /^Grant the checker s3:ListBucket on arn:aws:s3:::b/],
    ['error', { api: 's3:GetBucketPolicy', resource: 'arn:aws:s3:::b', code: 'ECONNREFUSED' }, undefined, /reachable from this host/],
    ['error', { api: 's3:GetBucketPolicy', code: 'SlowDown' }, undefined, /throttled.*run again later/],
    ['error', { api: 's3:GetBucketAcl', code: 'MalformedResponse' }, undefined, /answers s3:GetBucketAcl on \* as AWS documents it/],
    ['error', { api: ['s3:GetAccountPublicAccessBlock', 's3:GetBucketPublicAccessBlock'], resource: 'arn:aws:s3:::b' }, undefined, /^Grant the checker s3:GetAccountPublicAccessBlock and s3:GetBucketPublicAccessBlock on arn:aws:s3:::b/],
    ['error', { api: 'sts:GetCallerIdentity', code: 'InvalidClientTokenId' }, undefined, /answers sts:GetCallerIdentity/],
    ['error', { api: 'sts:GetCallerIdentity', code: 'AccessDenied' }, undefined, /Check the credentials/],
    ['error', {}, undefined, /--debug/],
  ];
  for (const [status, evidence, explicit, expected] of rows) {
    test(`${status} ${JSON.stringify(evidence)}${explicit ? ' (explicit)' : ''}`, () => {
      const fix = remediationFor(status, check, evidence, explicit);
      assert.match(fix, expected);
      if (status === 'error') assert.doesNotMatch(fix, /Reset the ACL/);
    });
  }
  test('readFix names no secret-bearing field, only api, resource and code', () => {
    assert.doesNotMatch(readFix({ api: 's3:GetBucketAcl', code: 'AccessDenied', resource: 'arn:aws:s3:::b' }), /undefined|null/);
  });
});

function result(status: Result['status'], subject: string): Result {
  return { check: 'bucket-acl', subject, status, severity: 'high', title: 't', message: 'm', evidence: {}, remediation: status === 'pass' ? '' : 'do x', references: [], durationMs: 1 };
}

describe('Markdown: the CodeArtifact access matrix', () => {
  test('every interpolated string of the matrix is escaped: a principal or statement cannot add a column, a heading or HTML', () => {
    const evil = 'arn:aws:iam::444455556666:role/x|y<details>*z*';
    const report = accessMatrixReport({ principal: evil, repository: 'repo|x', statement: 'Sid "a|b"', unreadableRepository: 'bad|<b>', unreadableMessage: '# heading', identitySide: 'identity | side', interaction: '<script>interaction</script>' });
    const text = renderMarkdown(report);
    const row = text.split('\n').find((l) => l.includes('role/x'))!;
    // 8 unescaped pipes: 7 columns.
    assert.equal(row.replace(/\\\|/g, '').split('|').length - 1, 8, row);
    assert.ok(!text.includes('<details>*z*'), 'HTML in a principal is an entity');
    assert.ok(!text.includes('<script>'));
    assert.ok(!/^#/m.test(text.split('Effective access')[1].replace(/^#+ .*$/gm, '')), 'no heading from data');
  });
});

test('terminalSafeReport (--stdout): CRLF record ends survive (CSV), a lone CR and escapes are still shown', () => {
  assert.equal(terminalSafeReport('a,b\r\n"x\ry",\u001b[2J\r\n'), 'a,b\r\n"x\\ry",\\u001b[2J\r\n');
  assert.equal(terminalSafeReport('::stop-commands::x\r\n'), '\\::stop-commands::x\r\n');
});
