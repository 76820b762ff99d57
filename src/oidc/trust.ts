// Does a role's trust policy let exactly the appliance's OIDC provider assume it, as the GHES
// documentation sets it up? Allowed: Allow statements naming only the provider (Principal.Federated),
// only sts:AssumeRoleWithWebIdentity, with StringEquals HOST/_services/token:aud =
// sts.amazonaws.com and HOST/_services/token:sub = HOST. Anything an Allow statement grants beyond
// that is a problem (another principal, another action, a missing, wildcard or different claim
// condition). Deny statements only take away, so they are not judged. Pure: no I/O.

import { type NormalizedStatement, parsePolicyDocument, statementLabel } from '../policy/document.ts';
import { actionMatches } from '../policy/match.ts';
import { claimKey, normalizeHost, OIDC_AUDIENCE, WEB_IDENTITY_ACTION } from './issuer.ts';

/** Problems, most serious first: the order decides which one a result is named after. */
export const TRUST_PROBLEMS = ['otherPrincipal', 'otherAction', 'noStatement', 'missingSub', 'wildcard', 'wrongSub', 'otherOperator', 'missingAud', 'wrongAud'] as const;
export type TrustProblemId = (typeof TRUST_PROBLEMS)[number];

export interface TrustProblem {
  id: TrustProblemId;
  /** Sid "X" or statement #N; empty for noStatement. */
  statement: string;
  /** What exactly is wrong, in words (values from the policy quoted). */
  detail: string;
}

export type TrustAnalysis =
  | { ok: false; parseError: string }
  | {
      ok: true;
      /** Allow statements that let the provider call AssumeRoleWithWebIdentity. */
      granting: string[];
      problems: TrustProblem[];
      /** The Allow statements as written, for evidence. */
      allowStatements: Array<Record<string, unknown>>;
    };

export interface TrustExpectation {
  host: string;
  /** arn:PARTITION:iam::ACCOUNT:oidc-provider/HOST/_services/token */
  providerArn: string;
}

const quote = (values: readonly string[]): string => values.map((v) => JSON.stringify(v)).join(', ');
const hasWildcard = (v: string): boolean => /[*?]/.test(v);

function principalProblems(s: NormalizedStatement, expected: TrustExpectation, label: string): { problems: TrustProblem[]; namesProvider: boolean } {
  if (s.notPrincipal) return { problems: [{ id: 'otherPrincipal', statement: label, detail: 'NotPrincipal allows every principal it does not name' }], namesProvider: false };
  const problems: TrustProblem[] = [];
  let namesProvider = false;
  for (const [type, values] of Object.entries(s.principal ?? {})) {
    for (const value of values) {
      if (type === 'Federated' && value.toLowerCase() === expected.providerArn.toLowerCase()) namesProvider = true;
      else problems.push({ id: 'otherPrincipal', statement: label, detail: type === '*' ? 'Principal "*" (anyone)' : `Principal ${type} ${JSON.stringify(value)}` });
    }
  }
  if (!s.principal) problems.push({ id: 'otherPrincipal', statement: label, detail: 'the statement names no Principal' });
  return { problems, namesProvider };
}

function actionProblems(s: NormalizedStatement, label: string): { problems: TrustProblem[]; grantsWebIdentity: boolean } {
  if (s.notAction) return { problems: [{ id: 'otherAction', statement: label, detail: `NotAction ${quote(s.notAction)} allows every other action` }], grantsWebIdentity: !s.notAction.some((a) => actionMatches(a, WEB_IDENTITY_ACTION)) };
  const actions = s.action ?? [];
  const others = actions.filter((a) => a.toLowerCase() !== WEB_IDENTITY_ACTION.toLowerCase());
  return {
    problems: others.map((a) => ({ id: 'otherAction', statement: label, detail: `Action ${JSON.stringify(a)}` })),
    grantsWebIdentity: actions.some((a) => actionMatches(a, WEB_IDENTITY_ACTION)),
  };
}

/** The condition entries (operator, values) of a statement on one key; keys compare case-insensitively as in IAM. */
function conditionsOn(s: NormalizedStatement, key: string): Array<{ operator: string; values: string[] }> {
  const wanted = key.toLowerCase();
  return Object.entries(s.condition).flatMap(([operator, entries]) =>
    Object.entries(entries)
      .filter(([k]) => k.toLowerCase() === wanted)
      .map(([, values]) => ({ operator, values })),
  );
}

function claimProblems(s: NormalizedStatement, label: string, key: string, expectedValue: string, claim: 'aud' | 'sub'): TrustProblem[] {
  const entries = conditionsOn(s, key);
  const missing: TrustProblemId = claim === 'sub' ? 'missingSub' : 'missingAud';
  const wrong: TrustProblemId = claim === 'sub' ? 'wrongSub' : 'wrongAud';
  if (entries.length === 0) return [{ id: missing, statement: label, detail: `no StringEquals condition on ${key}` }];
  const problems: TrustProblem[] = [];
  for (const { operator, values } of entries) {
    if (operator === 'StringLike' && values.some(hasWildcard)) {
      problems.push({ id: 'wildcard', statement: label, detail: `StringLike ${key} ${quote(values)} matches more than ${JSON.stringify(expectedValue)}` });
    } else if (operator !== 'StringEquals' && operator !== 'StringLike') {
      problems.push({ id: 'otherOperator', statement: label, detail: `${operator} on ${key} instead of StringEquals` });
    } else if (!values.every((v) => v === expectedValue)) {
      problems.push({ id: wrong, statement: label, detail: `${operator} ${key} ${quote(values)} instead of ${JSON.stringify(expectedValue)}` });
    }
  }
  return problems;
}

const byGravity = (a: TrustProblem, b: TrustProblem): number => TRUST_PROBLEMS.indexOf(a.id) - TRUST_PROBLEMS.indexOf(b.id);

/** Judges a trust policy (JSON text, possibly URL-encoded as IAM returns it, or a parsed document). */
export function analyzeTrustPolicy(document: unknown, expected: TrustExpectation): TrustAnalysis {
  const parsed = parsePolicyDocument(document);
  if (!parsed.ok) return { ok: false, parseError: parsed.error };
  const host = normalizeHost(expected.host);
  const problems: TrustProblem[] = [];
  const granting: string[] = [];
  const allows = parsed.policy.statements.filter((s) => s.effect === 'Allow');
  for (const s of allows) {
    const label = statementLabel(s);
    const principal = principalProblems(s, expected, label);
    const action = actionProblems(s, label);
    problems.push(...principal.problems, ...action.problems);
    if (principal.namesProvider && action.grantsWebIdentity) {
      granting.push(label);
      problems.push(...claimProblems(s, label, claimKey(host, 'sub'), host, 'sub'), ...claimProblems(s, label, claimKey(host, 'aud'), OIDC_AUDIENCE, 'aud'));
    }
  }
  if (granting.length === 0) problems.push({ id: 'noStatement', statement: '', detail: `no Allow statement lets ${expected.providerArn} call ${WEB_IDENTITY_ACTION}` });
  return { ok: true, granting, problems: problems.sort(byGravity), allowStatements: allows.map((s) => s.raw) };
}
