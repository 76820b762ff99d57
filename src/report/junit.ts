// JUnit rendering for CI test viewers (GitLab, Jenkins, GitHub test reporters): one <testsuite> per
// target (a single run: per pack), one <testcase> per result. The file validates against the Jenkins
// xUnit plugin's JUnit schema (test/fixtures/junit-10.xsd). How each status shows (DESIGN.md):
// - fail → <failure message type=severity>, error → <error message type="not-evaluated">, with
//   the details (severity, fix, references, evidence) as the element's text;
// - skip → <skipped message="reason"> with the same reason and details as its text: Jenkins reads
//   the attribute, GitLab shows only the element's text (waiver reasons included);
// - warn → a passing case whose name starts with "WARN: ": GitLab shows nothing but the name and
//   status of a passing case, Jenkins lists its name too; the details are in <system-out> (Jenkins
//   shows it on the case's page);
// - (classname, name) is unique in the file: in a fleet the classname is `target.check` (Jenkins
//   ignores the suite name and splits the classname at its last dot into package and class).
// Written with fast-xml-parser's builder: junit-report-builder could neither give <skipped> a
// message nor leave out `testsuites@skipped`, which the schema rejects.

import { XMLBuilder } from 'fast-xml-parser';
import type { Lang } from '../i18n/lang.ts';
import { type Translator, translator } from '../i18n/translate.ts';
import type { Result } from '../model.ts';
import { describeCredentials, type Report, type TargetReport, targetsOf } from './report.ts';
import { visibleControls } from './terminal.ts';

// XML 1.0 cannot hold most control characters even as references: they are shown as escapes
// (src/report/terminal.ts); unpaired surrogates and U+FFFE/U+FFFF become U+FFFD.
const NOT_XML = /[\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** An attribute value: one line. */
const attr = (value: unknown): string => visibleControls(String(value ?? '')).replace(NOT_XML, '\uFFFD');
/** Element text: the tool's own line breaks stay. */
const text = (value: string): string => value.split('\n').map(attr).join('\n');
/** Seconds with at most three decimals (the schema's SUREFIRE_TIME). */
const seconds = (ms: number): string => (Math.max(0, ms) / 1000).toFixed(3);

// Messages and labels are in the reader's language; case names, class names and properties stay
// language-neutral (a CI history tracks them across runs, whoever renders the report).
function details(r: Result, tr: Translator): string {
  const remediation = tr.remediation(r);
  return [
    tr.message(r),
    '',
    tr.ui('junit.severity', { severity: tr.severity(r.severity) }),
    ...(remediation ? [tr.ui('junit.fix', { fix: remediation })] : []),
    ...(r.references.length ? [tr.ui('junit.references', { references: r.references.join('; ') })] : []),
    tr.ui('junit.evidence', { evidence: JSON.stringify(r.evidence, null, 2) }),
  ].join('\n');
}

export const WARN_PREFIX = 'WARN: ';

function testCase(r: Result, classname: string, name: string, tr: Translator): Record<string, unknown> {
  const base = { '@_classname': attr(classname), '@_name': attr(name), '@_time': seconds(r.durationMs) };
  const message = tr.message(r);
  switch (r.status) {
    case 'fail':
      return { ...base, failure: { '@_message': attr(message), '@_type': attr(r.severity), '#text': text(details(r, tr)) } };
    case 'error':
      return { ...base, error: { '@_message': attr(message), '@_type': 'not-evaluated', '#text': text(details(r, tr)) } };
    case 'skip':
      return { ...base, skipped: { '@_message': attr(message), '#text': text(details(r, tr)) } };
    case 'warn':
      return { ...base, 'system-out': text(tr.ui('junit.warning', { details: details(r, tr) })) };
    default:
      return { ...base, 'system-out': text(message) };
  }
}

function testSuite(report: Report, t: TargetReport, used: Set<string>, tr: Translator): Record<string, unknown> {
  const properties = [{ '@_name': 'verdict', '@_value': attr(t.verdict) }];
  // Where the run went: a report from an emulator must never read as one about AWS.
  const env = t.environment ?? report.environment;
  if (env) {
    properties.push(
      { '@_name': 'endpoint', '@_value': attr(env.endpoint ?? 'none (offline)') },
      { '@_name': 'aws', '@_value': attr(String(env.aws)) },
      { '@_name': 'partition', '@_value': attr(env.partition ?? 'unknown') },
      { '@_name': 'credentials', '@_value': attr(describeCredentials(env.credentials)) },
    );
  }
  for (const [k, v] of Object.entries(t.target)) if (v !== undefined && v !== null && typeof v !== 'object') properties.push({ '@_name': attr(k), '@_value': attr(v) });
  const cases = t.results.map((r) => {
    const classname = report.targets ? `${t.name}.${r.check}` : r.check;
    const name = r.status === 'warn' ? `${WARN_PREFIX}${r.subject}` : r.subject;
    // A check that names two results alike (it should not) must not lose one in GitLab.
    let unique = name;
    for (let n = 2; used.has(`${classname}\u0000${unique}`); n++) unique = `${name} (${n})`;
    used.add(`${classname}\u0000${unique}`);
    return testCase(r, classname, unique, tr);
  });
  const count = (status: Result['status']) => String(t.results.filter((r) => r.status === status).length);
  // A single run's suite lasts the run; a fleet keeps no clock per target, so its suite time is
  // its longest check (checks run concurrently, so a sum would overstate it).
  const ms = report.targets ? Math.max(0, ...t.results.map((r) => r.durationMs)) : Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  return {
    '@_name': attr(report.targets ? `${report.pack}: ${t.name}` : report.pack),
    '@_tests': String(t.results.length),
    '@_failures': count('fail'),
    '@_errors': count('error'),
    '@_skipped': count('skip'),
    '@_time': seconds(Number.isFinite(ms) ? ms : 0),
    '@_timestamp': attr(report.startedAt),
    properties: { property: properties },
    testcase: cases,
  };
}

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', textNodeName: '#text', format: true, indentBy: '  ', suppressEmptyNode: true });

export function renderJunit(report: Report, options: { lang?: Lang } = {}): string {
  const tr = translator(options.lang);
  const used = new Set<string>();
  const suites = targetsOf(report).map((t) => testSuite(report, t, used, tr));
  const wall = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    // The Jenkins xUnit schema has no `skipped` on <testsuites>: the suites carry it.
    testsuites: {
      '@_name': attr(`packages-preflight ${report.pack}`),
      '@_tests': String(report.results.length),
      '@_failures': String(report.summary.fail),
      '@_errors': String(report.summary.error),
      '@_time': seconds(Number.isFinite(wall) ? wall : 0),
      testsuite: suites,
    },
  };
  return builder.build(doc);
}
