// JUnit rendering: one <testsuite> per target (a single run: per pack), one <testcase> per result
// (classname = check id, name = subject). fail → <failure>, error → <error>, skip → <skipped>,
// warn passes with the warning in <system-out>, so GitLab/GitHub test viewers show the right colour.

import junitReportBuilder, { type Builder } from 'junit-report-builder';
import type { Result } from '../model.ts';
import { describeCredentials, type Report, targetsOf } from './report.ts';

function details(r: Result): string {
  return [
    r.message,
    '',
    `Severity: ${r.severity}`,
    `Fix: ${r.remediation}`,
    r.references.length ? `References: ${r.references.join('; ')}` : '',
    `Evidence: ${JSON.stringify(r.evidence, null, 2)}`,
  ]
    .filter((l) => l !== undefined)
    .join('\n');
}

// The package is CommonJS: under Node's ESM loader the default import is its module.exports, the
// builder instance, while TypeScript's nodenext view wraps it once more. Pin the runtime shape.
const rootBuilder = junitReportBuilder as unknown as Builder;

export function renderJunit(report: Report): string {
  const b = rootBuilder.newBuilder().name(`packages-preflight ${report.pack}`);
  for (const t of targetsOf(report)) {
    const suite = b.testSuite().name(report.targets ? `${report.pack}: ${t.name}` : report.pack).timestamp(report.startedAt);
    suite.property('verdict', t.verdict);
    // Where the run went: a report from an emulator must never read as one about AWS.
    const env = t.environment ?? report.environment;
    if (env) {
      suite.property('endpoint', env.endpoint ?? 'none (offline)');
      suite.property('aws', String(env.aws));
      suite.property('partition', env.partition ?? 'unknown');
      suite.property('credentials', describeCredentials(env.credentials));
    }
    for (const [k, v] of Object.entries(t.target)) if (v !== undefined && v !== null && typeof v !== 'object') suite.property(k, String(v));
    for (const r of t.results) {
      const tc = suite.testCase().className(r.check).name(r.subject).time(r.durationMs / 1000);
      if (r.status === 'fail') tc.failure(r.message, r.severity).stacktrace(details(r));
      else if (r.status === 'error') tc.error(r.message, 'not-evaluated', details(r));
      else if (r.status === 'skip') tc.skipped().standardOutput(`SKIPPED: ${r.message}`);
      else if (r.status === 'warn') tc.standardOutput(`WARNING: ${details(r)}`);
      else tc.standardOutput(r.message);
    }
  }
  return b.build();
}
