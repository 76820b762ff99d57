// --lang end to end (issue 19): a saved English run re-rendered in German and Chinese with no AWS
// call, the language taken from LANG when --lang is absent, and bad input said in the chosen language.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.ts';
import type { Report } from '../../src/report/report.ts';
import { runCli } from './cli.ts';

const SAVED = new URL('../fixtures/i18n/demo-report.json', import.meta.url).pathname;
const saved = JSON.parse(readFileSync(SAVED, 'utf8')) as Report;

test('report --from x.json --lang de re-renders an English run in German, with no AWS call; the JSON stays the same record', async () => {
  const run = await runCli(['report', '--from', SAVED, '--lang', 'de', '--format', 'json,markdown,junit,html']);
  assert.equal(run.code, 1, run.stderr);
  assert.equal(run.markdown, renderMarkdown(saved, { lang: 'de' }));
  assert.match(run.stdout, /^FEHLER +service-url \[region\]/m);
  assert.match(run.stdout, /NICHT KONFORM: 19 bestanden, 8 fehlgeschlagen/);
  assert.match(run.stdout, /^Berichte: /m);
  assert.match(run.files['packages-preflight.html'], /<html lang="de">/);
  assert.match(run.junitText ?? '', /Schweregrad: /);
  assert.deepEqual(run.json?.results, saved.results, 'the JSON report is language-neutral');
});

test('without --lang the language comes from LC_ALL / LC_MESSAGES / LANG; LC_ALL=C is English', async () => {
  const zh = await runCli(['report', '--from', SAVED, '--format', 'markdown'], { env: { LANG: 'zh_CN.UTF-8' } });
  assert.match(zh.markdown ?? '', /^# packages-preflight 报告（ghes-s3）/);
  assert.match(zh.stdout, /^失败 +service-url \[region\]/m);
  const c = await runCli(['report', '--from', SAVED, '--format', 'markdown'], { env: { LANG: 'zh_CN.UTF-8', LC_ALL: 'C' } });
  assert.match(c.markdown ?? '', /^# packages-preflight report \(ghes-s3\)/);
  const flag = await runCli(['report', '--from', SAVED, '--format', 'markdown', '--lang', 'en'], { env: { LANG: 'de_DE.UTF-8' } });
  assert.match(flag.markdown ?? '', /^# packages-preflight report/, '--lang wins over the environment');
});

test('bad input is one line in the chosen language, exit 3; an unknown --lang is refused', async () => {
  const de = await runCli(['report', '--lang', 'de', '--format', 'json']);
  assert.equal(de.code, 3);
  assert.equal(de.stderr.trim().split('\n').length, 1);
  assert.match(de.stderr, /^packages-preflight: report: Geben Sie --from DATEI/);
  const zh = await runCli(['report', '--from', SAVED, '--stdout', '--format', 'json,markdown', '--lang', 'zh-CN'], { noOutputDir: true });
  assert.equal(zh.code, 3);
  assert.equal(zh.stdout, '');
  assert.match(zh.stderr, /^packages-preflight: --stdout 会将一份报告写入标准输出，但请求了 2 种格式（json, markdown）/);
  const bad = await runCli(['report', '--from', SAVED, '--lang', 'fr']);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr, /lang/);
});
