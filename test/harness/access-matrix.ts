// A CodeArtifact report whose access matrix carries the given (hostile) strings: the renderers'
// escaping tests (Markdown, HTML) build the same report.
import { buildReport, type Report } from '../../src/report/report.ts';

export interface MatrixStrings {
  principal: string;
  repository: string;
  statement: string;
  unreadableRepository: string;
  unreadableMessage: string;
  identitySide: string;
  interaction: string;
}

export function accessMatrixReport(s: MatrixStrings): Report {
  const cell = (decision: 'allow' | 'deny', statements: string[] = []) => ({ decision, statements, actions: [] });
  return buildReport({
    tool: { name: 't', version: '1' },
    pack: 'codeartifact',
    target: { domain: 'corp' },
    startedAt: new Date(0),
    finishedAt: new Date(1),
    apiCalls: [],
    results: [],
    accessMatrix: {
      domain: 'corp',
      owner: '111122223333',
      principals: [s.principal],
      repositories: [s.repository],
      rows: [{ principal: s.principal, kind: 'principal', crossAccount: true, accounts: ['444455556666'], orgIds: [], repository: s.repository, read: cell('allow', [s.statement]), publish: cell('deny'), admin: cell('deny') }],
      unreadable: [{ repository: s.unreadableRepository, code: 'AccessDenied', message: s.unreadableMessage }],
      identitySide: s.identitySide,
      interaction: s.interaction,
    },
  });
}
