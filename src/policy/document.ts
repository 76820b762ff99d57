// One parser for every IAM-style policy document the tool reads: identity policies (IAM returns
// them URL-encoded), bucket policies, CodeArtifact domain policies, files given by the user.
// Everything downstream (evaluator, public analysis, CodeArtifact checks) works on the
// normalised shape, so single values vs arrays and `"*"` vs `{"AWS":"*"}` are decided here once.

import { MAX_INPUT_DEPTH, nestingDepth } from '../config/input-file.ts';

export type Effect = 'Allow' | 'Deny';

/** Principal map: type ('AWS', 'Service', 'Federated', 'CanonicalUser', '*') to its values. `"*"` becomes `{ '*': ['*'] }`. */
export type PrincipalMap = Record<string, string[]>;

/** Condition block: operator (as written, e.g. `ForAnyValue:StringLike`, `IpAddressIfExists`) to key to values. */
export type ConditionBlock = Record<string, Record<string, string[]>>;

export interface NormalizedStatement {
  /** Position in the document's Statement array (0-based), for evidence when there is no Sid. */
  index: number;
  sid?: string;
  effect: Effect;
  principal?: PrincipalMap;
  notPrincipal?: PrincipalMap;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: ConditionBlock;
  /** The statement exactly as written: auditors get it verbatim in evidence. */
  raw: Record<string, unknown>;
}

export interface NormalizedPolicy {
  version?: string;
  id?: string;
  statements: NormalizedStatement[];
  /** The document as parsed, verbatim. */
  raw: Record<string, unknown>;
}

export type ParseResult = { ok: true; policy: NormalizedPolicy } | { ok: false; error: string };

const toArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

function stringList(value: unknown, field: string, where: string): string[] {
  const list = toArray(value);
  for (const item of list) {
    if (typeof item !== 'string') throw new PolicyShapeError(`${where}: ${field} must be a string or a list of strings`);
  }
  return list as string[];
}

class PolicyShapeError extends Error {}

function principalMap(value: unknown, field: string, where: string): PrincipalMap {
  if (value === '*') return { '*': ['*'] };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PolicyShapeError(`${where}: ${field} must be "*" or an object such as {"AWS": "arn:..."}`);
  }
  const map: PrincipalMap = {};
  for (const [type, values] of Object.entries(value)) map[type] = stringList(values, `${field}.${type}`, where);
  return map;
}

function conditionBlock(value: unknown, where: string): ConditionBlock {
  if (value === undefined) return {};
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PolicyShapeError(`${where}: Condition must be an object`);
  }
  const block: ConditionBlock = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (keys === null || typeof keys !== 'object' || Array.isArray(keys)) {
      throw new PolicyShapeError(`${where}: Condition operator ${operator} must map keys to values`);
    }
    block[operator] = {};
    for (const [key, values] of Object.entries(keys)) {
      // Booleans and numbers are legal JSON in conditions (`"aws:SecureTransport": false`); IAM compares them as strings.
      const list = toArray(values).map((v) => (typeof v === 'boolean' || typeof v === 'number' ? String(v) : v));
      block[operator][key] = stringList(list, `Condition.${operator}.${key}`, where);
    }
  }
  return block;
}

function normalizeStatement(raw: unknown, index: number): NormalizedStatement {
  const where = `Statement[${index}]`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new PolicyShapeError(`${where} must be an object`);
  const s = raw as Record<string, unknown>;
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw new PolicyShapeError(`${where}: Effect must be "Allow" or "Deny"`);
  if (s.Action !== undefined && s.NotAction !== undefined) throw new PolicyShapeError(`${where} has both Action and NotAction`);
  if (s.Action === undefined && s.NotAction === undefined) throw new PolicyShapeError(`${where} has neither Action nor NotAction`);
  if (s.Resource !== undefined && s.NotResource !== undefined) throw new PolicyShapeError(`${where} has both Resource and NotResource`);
  if (s.Principal !== undefined && s.NotPrincipal !== undefined) throw new PolicyShapeError(`${where} has both Principal and NotPrincipal`);
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw new PolicyShapeError(`${where}: Sid must be a string`);
  return {
    index,
    sid: s.Sid as string | undefined,
    effect: s.Effect,
    principal: s.Principal === undefined ? undefined : principalMap(s.Principal, 'Principal', where),
    notPrincipal: s.NotPrincipal === undefined ? undefined : principalMap(s.NotPrincipal, 'NotPrincipal', where),
    action: s.Action === undefined ? undefined : stringList(s.Action, 'Action', where),
    notAction: s.NotAction === undefined ? undefined : stringList(s.NotAction, 'NotAction', where),
    resource: s.Resource === undefined ? undefined : stringList(s.Resource, 'Resource', where),
    notResource: s.NotResource === undefined ? undefined : stringList(s.NotResource, 'NotResource', where),
    condition: conditionBlock(s.Condition, where),
    raw: s,
  };
}

/** Longer than any AWS policy (S3 bucket policies: 20 KB; IAM: 10,240; CodeArtifact: 7,168), with room for URL-encoding. */
export const MAX_POLICY_CHARS = 128 * 1024;

/** Decodes IAM's URL-encoded policy documents (`%7B%22Version...`); plain JSON passes through. */
export function decodePolicyText(text: string): string {
  const trimmed = text.trim();
  if (trimmed.startsWith('%7B') || trimmed.startsWith('%7b')) {
    try {
      return decodeURIComponent(trimmed);
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}

/**
 * Parses and normalises a policy document given as JSON text (possibly URL-encoded) or as an
 * already-parsed object. Never throws: malformed input is `{ ok: false, error }` so the caller
 * can make the check `error` instead of crashing or, worse, passing.
 */
export function parsePolicyDocument(input: unknown): ParseResult {
  let doc: unknown = input;
  if (typeof input === 'string') {
    if (input.length > MAX_POLICY_CHARS) return { ok: false, error: `the policy is ${input.length} characters long, more than any AWS policy may be (${MAX_POLICY_CHARS}); not analysed` };
    try {
      doc = JSON.parse(decodePolicyText(input));
    } catch (e) {
      return { ok: false, error: `not valid JSON (${(e as Error).message})` };
    }
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, error: 'the policy must be a JSON object' };
  // A real policy is a few levels deep; deeper nesting would exhaust the stack of every recursive
  // consumer (JSON.stringify of the evidence, the report writers). Measured without recursion.
  if (nestingDepth(doc) > MAX_INPUT_DEPTH) return { ok: false, error: `the policy is nested more than ${MAX_INPUT_DEPTH} levels deep (no valid policy is); not analysed` };
  const raw = doc as Record<string, unknown>;
  if (raw.Statement === undefined) return { ok: false, error: 'the policy has no Statement' };
  if (raw.Version !== undefined && typeof raw.Version !== 'string') return { ok: false, error: 'Version must be a string' };
  try {
    const statements = toArray(raw.Statement).map((s, i) => normalizeStatement(s, i));
    return { ok: true, policy: { version: raw.Version as string | undefined, id: raw.Id as string | undefined, statements, raw } };
  } catch (e) {
    if (e instanceof PolicyShapeError) return { ok: false, error: e.message };
    throw e;
  }
}

/** How a statement is named in evidence and messages: its Sid, else its position. */
export function statementLabel(s: Pick<NormalizedStatement, 'sid' | 'index'>): string {
  return s.sid ? `Sid "${s.sid}"` : `statement #${s.index + 1}`;
}
