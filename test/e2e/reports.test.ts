// Output that another program interprets, end to end: hostile strings stored in the emulator (a
// bucket-policy Sid, a lifecycle rule id) and in a fleet file (a target name) go through the built
// CLI and the GitHub Action, and every rendering must show them as text: no terminal escape, no
// line a GitHub runner reads as a workflow command, no Markdown heading, table column or HTML the
// report did not write itself. The same reports must pass markdownlint (the demo's rules file), the
// Jenkins xUnit JUnit schema, and two JUnit consumers from the npm registry.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { parse as parseJunit2json } from 'junit2json';
import { lint, readConfig } from 'markdownlint/sync';
import { parse as parseTestResults } from 'test-results-parser';
import { validateXML } from 'xmllint-wasm';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { testEnv } from '../harness/moto.ts';
import { DEMO_SCENARIO, seedGhesScenario, seedStorageSettings } from '../harness/scenarios.ts';
import { useMoto } from '../harness/use-moto.ts';
import { type CliRun, runCli } from './cli.ts';

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname;
const ACTION = new URL('../../dist/action.mjs', import.meta.url).pathname;

// Each piece attacks one reader: the runner (`::stop-commands::`, `##[`), the terminal (ESC[2J
// clears the screen, CR overwrites, a bidi override reorders), Markdown (a heading, a table
// column, an unclosed <details> that folds the rest of a job summary, a code span, a link).
const HOSTILE = '\n::stop-commands::pwned\r\n  ::error::fake\u001b[2J\u202e##[warning]x\n# COMPLIANT\n<details><summary>folded|col</summary>`tick` [link](https://evil.example)';
// S3 stores a lifecycle rule id in XML: XML 1.0 cannot carry ESC or a bidi override, so the rule
// id keeps the line-based attacks (CR is normalised away by XML parsers).
const HOSTILE_XML = '\n::stop-commands::pwned\n  ::error::fake ##[warning]x\n# COMPLIANT\n<details><summary>folded|col</summary>`tick`';

const OWN_COMMAND = /^::(error|warning|notice) title=[^\n]*$/;
// Raw control characters a terminal, log viewer or XML parser would act on or reject (tab and
// newline are the tool's own), and bidi controls.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const RAW_CONTROL = new RegExp('[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069]');

/** Every line of a CI log: none starts a workflow command (after blanks, as the runner trims) or holds `##[`, none holds ESC, CR or a bidi control. */
function assertInertLog(where: string, text: string, ownCommands = false): void {
  assert.ok(!RAW_CONTROL.test(text), `${where} holds a raw control character:\n${JSON.stringify(text)}`);
  for (const line of text.split('\n')) {
    if (ownCommands && OWN_COMMAND.test(line)) continue;
    assert.ok(!line.trimStart().startsWith('::'), `${where} has a line a runner reads as a workflow command: ${JSON.stringify(line)}`);
    assert.ok(!line.includes('##['), `${where} has a legacy workflow command: ${JSON.stringify(line)}`);
  }
}

/** The Markdown without its fenced code blocks (code is shown as written, never rendered). */
function outsideFences(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split('\n')
    .filter((line) => {
      const open = /^(`{3,})/.exec(line)?.[1];
      if (fence) {
        if (line === fence) fence = undefined;
        return false;
      }
      if (open) fence = open;
      return !open;
    })
    .join('\n');
}

const lintConfig = readConfig(join(FIXTURES, 'report.markdownlint.yaml'), [parseYaml]);

/** markdownlint with the report's rules (tables keep their column count: MD056), plus what markdownlint cannot see. */
function assertCleanMarkdown(where: string, markdown: string): void {
  const problems = lint({ strings: { [where]: markdown }, config: lintConfig })[where];
  assert.deepEqual(problems.map((p) => `${p.lineNumber} ${p.ruleNames.join('/')} ${p.errorDetail ?? ''} ${p.errorContext ?? ''}`), [], `${where} fails markdownlint`);
  assert.ok(!RAW_CONTROL.test(markdown), `${where} holds a raw control character`);
  // The report's own HTML starts a line; an AWS string's is escaped inline or quoted in a JSON fence.
  const own = (tag: string) => markdown.split('\n').filter((l) => l.startsWith(tag)).length;
  assert.equal(own('<details>'), own('</details>'), `${where}: every <details> is closed`);
  assert.ok(!/^(?!<details><summary>(Evidence|Passed and skipped \(\d+\))<\/summary>$)<(details|summary)/m.test(markdown), `${where}: HTML the report did not write`);
  const rendered = outsideFences(markdown);
  assert.ok(!/^#+ COMPLIANT/m.test(rendered), `${where} has an injected heading`);
  assert.ok(!/<summary>folded/.test(rendered) && !/\]\(https:\/\/evil/.test(rendered) && !/<b>/.test(rendered), `${where} renders injected HTML or a link`);
  assert.ok(!/^\s*::/m.test(markdown), `${where} starts a line with ::`);
}

async function assertValidJunit(where: string, xml: string): Promise<void> {
  const schema = readFileSync(join(FIXTURES, 'junit-10.xsd'), 'utf8');
  const result = await validateXML({ xml: [{ fileName: 'packages-preflight.junit.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: schema }] });
  assert.deepEqual(result.errors.map((e) => e.rawMessage), [], `${where}: the Jenkins xUnit schema rejects the JUnit file`);
  assert.ok(!RAW_CONTROL.test(xml), `${where}: the JUnit file holds a raw control character`);
}

interface Case { classname: string; name: string; status: string; skipMessage?: string }

/** The JUnit file as two independent consumers read it; they must agree with each other and with the JSON report. */
async function consumeJunit(run: CliRun): Promise<Case[]> {
  const parsed = await parseJunit2json(run.junitText!);
  assert.ok(parsed && 'testsuite' in parsed, 'junit2json found no <testsuites>');
  const cases: Case[] = (parsed.testsuite ?? []).flatMap((s) =>
    (s.testcase ?? []).map((c) => ({
      classname: c.classname ?? '',
      name: c.name ?? '',
      status: c.failure ? 'fail' : c.error ? 'error' : c.skipped ? 'skip' : 'pass',
      ...(c.skipped ? { skipMessage: c.skipped[0]?.message } : {}),
    })),
  );
  const file = join(run.outputDir, 'packages-preflight.junit.xml');
  // test-results-parser takes its top-level skip count from `testsuites@skipped`, which the Jenkins
  // schema forbids: count what it read per case instead.
  const other = parseTestResults({ type: 'junit', files: [file] }).suites.flatMap((s) => s.cases);
  const tally = (status: string) => other.filter((c) => c.status === status).length;
  assert.equal(other.length, run.json!.results.length, 'test-results-parser reads every result');
  assert.equal(tally('FAIL'), run.json!.summary.fail + run.json!.summary.error, 'test-results-parser sees failures and errors');
  assert.equal(tally('SKIP'), run.json!.summary.skip, 'test-results-parser sees skips');
  assert.equal(cases.length, run.json!.results.length, 'junit2json sees every result');
  const keys = cases.map((c) => `${c.classname}\u0000${c.name}`);
  assert.equal(new Set(keys).size, keys.length, '(classname, name) is unique in the file');
  return cases;
}

describe('reports: hostile strings from AWS and user files are shown, never interpreted', () => {
  const moto = useMoto();

  async function seedHostile(bucket: string): Promise<void> {
    await seedStorageSettings(moto.endpoint, {
      bucket,
      lifecycleRules: [{ ID: `expire${HOSTILE_XML}`, Status: 'Enabled', Filter: { Prefix: '' }, Expiration: { Days: 30 } }],
      bucketPolicy: { Version: '2012-10-17', Statement: [{ Sid: `public${HOSTILE}`, Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }] },
    });
  }

  test('check: a public-policy Sid and a lifecycle rule id full of escapes, commands and Markdown', async () => {
    const bucket = 'ghes-packages-hostile';
    await seedHostile(bucket);
    const run = await runCli(['check', '--bucket', bucket, '--service-url', 'https://s3.us-east-1.amazonaws.com'], { endpoint: moto.endpoint });
    assert.equal(run.code, 1, run.stderr);
    const policy = run.json!.results.find((r) => r.check === 'bucket-policy' && r.status === 'fail');
    const rule = run.json!.results.find((r) => r.check === 'lifecycle-rules' && r.status === 'fail');
    // Subjects are fixed aspects (public, rules); the Sid and the rule id travel in the message.
    assert.ok(policy?.message.includes('::stop-commands::pwned') && policy.message.includes('\u001b[2J'), `the Sid reached the report unchanged: ${JSON.stringify(policy?.message)}`);
    assert.ok(rule?.message.includes('::stop-commands::pwned'), `the rule id reached the report unchanged: ${JSON.stringify(rule?.message)}`);
    assertInertLog('stdout', run.stdout);
    assertInertLog('stderr', run.stderr);
    assert.match(run.stdout, /\\n::stop-commands::pwned\\r\\n {2}::error::fake\\u001b\[2J\\u202e##\\u005bwarning\]x\\n# COMPLIANT/, 'the console shows the Sid with visible escapes');
    assertCleanMarkdown('the Markdown report', run.markdown!);
    assert.match(run.markdown!, /\\\\n::stop-commands::pwned/, 'the Markdown report shows the newline as \\n');
    await assertValidJunit('check', run.junitText!);
    await consumeJunit(run);
    assert.match(run.junitText!, /\\n::stop-commands::pwned\\r\\n {2}::error::fake\\u001b\[2J/, 'the JUnit file shows the escapes');
  });

  test('fleet: target names with backticks, HTML and a fake heading; TOC, JUnit classnames per target', async () => {
    await seedHostile('ghes-packages-one');
    await seedGhesScenario(moto.endpoint, { ...DEMO_SCENARIO, bucket: 'ghes-packages-two', actionsBucket: 'ghes-actions-two', userName: 'ghes-two', userPolicies: {} });
    const dir = mkdtempSync(join(tmpdir(), 'fleet-hostile-'));
    const names = ['`prod` <b>one</b>', '# COMPLIANT <details><summary>two|x'];
    const file = join(dir, 'fleet.yml');
    writeFileSync(file, toYaml({ defaults: { serviceUrl: 'https://s3.us-east-1.amazonaws.com' }, targets: [{ name: names[0], bucket: 'ghes-packages-one' }, { name: names[1], bucket: 'ghes-packages-two' }] }));
    const run = await runCli(['fleet', '--targets', file], { endpoint: moto.endpoint });
    assert.equal(run.code, 1, run.stderr);
    assertInertLog('stdout', run.stdout);
    assertInertLog('stderr', run.stderr);
    assertCleanMarkdown('the fleet Markdown report', run.markdown!);
    // The summary table is the table of contents: each name links to its section's anchor.
    const toc = run.markdown!.split('\n').filter((l) => /^\| \[.*\]\(#target-\d+\) \|/.test(l));
    assert.equal(toc.length, 2, run.markdown);
    for (const i of [1, 2]) assert.ok(run.markdown!.includes(`<a id="target-${i}"></a>`), `anchor target-${i}`);
    assert.ok(!run.markdown!.includes('<b>one</b>'), 'the name is not HTML');
    await assertValidJunit('fleet', run.junitText!);
    const cases = await consumeJunit(run);
    // The same check on two targets is two distinct cases (Jenkins ignores the suite name).
    const credentials = cases.filter((c) => c.classname.endsWith('.credentials'));
    assert.deepEqual(credentials.map((c) => c.classname).sort(), names.map((n) => `${n}.credentials`).sort());
  });

  test('action: the job summary, annotations and the CLI output it inherits stay inert', async () => {
    const bucket = 'ghes-packages-hostile';
    await seedHostile(bucket);
    const dir = mkdtempSync(join(tmpdir(), 'action-hostile-'));
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const run = spawnSync(process.execPath, [ACTION], {
      cwd: dir,
      encoding: 'utf8',
      env: testEnv(moto.endpoint, { INPUT_BUCKET: bucket, 'INPUT_SERVICE-URL': 'https://s3.us-east-1.amazonaws.com', 'INPUT_OUTPUT-DIR': 'out', GITHUB_STEP_SUMMARY: summary }),
    });
    assert.equal(run.status, 1, run.stderr);
    // The Action's own annotations are the only workflow commands in its log.
    assertInertLog('the Action stdout', run.stdout, true);
    assertInertLog('the Action stderr', run.stderr);
    const own = run.stdout.split('\n').filter((l) => l.startsWith('::'));
    assert.ok(own.length > 0 && own.every((l) => OWN_COMMAND.test(l)), own.join('\n'));
    assert.ok(own.some((l) => l.includes('\\n::stop-commands::pwned')), 'the Sid is shown with visible escapes inside the annotation');
    assertCleanMarkdown('the job summary', readFileSync(summary, 'utf8'));
  });
});

describe('reports: the demo scenario', () => {
  const moto = useMoto();

  test('the Markdown report passes markdownlint, severity stands next to each finding, placeholders survive; JUnit is schema-valid and says why a case skipped', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
    });
    assert.equal(run.code, 1, run.stderr);
    const md = run.markdown!;
    assertCleanMarkdown('the demo report', md);
    // Every finding's heading names its severity (not only the collapsed evidence).
    const findings = md.split('\n').filter((l) => /^#### (❌|⚠️|🟡) /.test(l));
    assert.ok(findings.length >= 8, md);
    for (const h of findings) assert.match(h, /\(severity (critical|high|medium|low|info)\)/);
    // The placeholder is code, not an HTML tag the renderer would drop.
    assert.ok(md.includes('`https://s3.<bucket-region>.amazonaws.com`'), 'the service-url fix keeps its placeholder as code');
    assert.ok(!md.replace(/`[^`\n]*`/g, '').includes('<bucket-region>'), 'no placeholder outside code');
    await assertValidJunit('demo', run.junitText!);
    const cases = await consumeJunit(run);
    const skipped = cases.filter((c) => c.status === 'skip');
    assert.ok(skipped.length > 0 && skipped.every((c) => c.skipMessage && c.skipMessage.length > 10), `every skip says why: ${JSON.stringify(skipped)}`);
    // A warning is visible where GitLab shows only a passing case's name.
    const warned = run.json!.results.filter((r) => r.status === 'warn').map((r) => `${r.check}\u0000WARN: ${r.subject}`);
    assert.ok(warned.length > 0);
    for (const w of warned) assert.ok(cases.some((c) => `${c.classname}\u0000${c.name}` === w && c.status === 'pass'), `warn case ${w}`);
    assert.match(run.junitText!, /<testsuite [^>]*time="\d+\.\d{3}"/, 'the suite has a time');
    assert.doesNotMatch(run.junitText!, /<testsuites [^>]*skipped=/, 'no testsuites@skipped (the schema rejects it)');
  });

  test('remediations fit the result: passes none, fails the fix, errors how to make the fact readable', async () => {
    const s = await seedGhesScenario(moto.endpoint, DEMO_SCENARIO);
    // The GHES user's own key cannot read the bucket ACL once IAM is enforced: that check is error.
    await moto.enforceIam(true);
    const run = await runCli(['check', '--bucket', s.bucket, '--service-url', s.serviceUrl, '--actions-bucket', s.actionsBucket], {
      endpoint: moto.endpoint,
      env: { AWS_ACCESS_KEY_ID: s.accessKeyId, AWS_SECRET_ACCESS_KEY: s.secretAccessKey },
    });
    await moto.enforceIam(false);
    const results = run.json!.results;
    for (const r of results.filter((x) => x.status === 'pass')) assert.equal(r.remediation, '', `${r.check} [${r.subject}] passed yet carries a fix`);
    const errors = results.filter((x) => x.status === 'error');
    assert.ok(errors.length > 0, run.stdout);
    for (const r of errors) {
      assert.match(r.remediation, /Grant the checker|endpoint|--debug|again/, `${r.check}: ${r.remediation}`);
      assert.doesNotMatch(r.remediation, /put-bucket-acl|Reset the ACL|put-public-access-block/, `${r.check} [${r.subject}] error carries the finding's fix`);
    }
    const acl = errors.find((r) => r.check === 'bucket-acl');
    assert.match(acl?.remediation ?? '', /Grant the checker s3:GetBucketAcl on arn:aws:s3:::ghes-packages-demo/);
    // The renderings carry the same fix: the Markdown finding and the JUnit <error> of bucket-acl.
    const section = run.markdown!.split('\n#### ').find((f) => f.startsWith('⚠️ ERROR') && f.includes('`bucket-acl`')) ?? '';
    assert.match(section, /\*\*Fix:\*\* Grant the checker s3:GetBucketAcl/, section);
    const junitCase = /<testcase classname="bucket-acl"[^]*?<\/testcase>/.exec(run.junitText!)?.[0] ?? '';
    assert.match(junitCase, /<error [^]*Fix: Grant the checker s3:GetBucketAcl/, junitCase);
    assert.doesNotMatch(junitCase, /Reset the ACL/);
  });
});
