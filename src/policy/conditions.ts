// The Condition element: operators, `...IfExists`, `ForAnyValue:` / `ForAllValues:`, and what a
// missing key means.
//
// Sources (AWS IAM User Guide):
// - "IAM JSON policy elements: Condition operators"
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
//   * Several operators, several keys: all must be true (AND). Several values for one key: any
//     may match (OR); for the negated operators (StringNotEquals, ArnNotLike, NotIpAddress, ...)
//     the key must match none of them.
//   * "...IfExists": "If the key is not present, evaluate the condition element as true." (any
//     operator except Null).
//   * Null: `true` = the key is absent, `false` = it is present.
//   * ArnEquals and ArnLike behave the same: each of the six ARN segments is compared separately,
//     case-sensitively, `*` and `?` allowed.
//   * IpAddress: IPv4 or IPv6 CIDR; an address without a prefix length is a single host.
//   * Date: ISO 8601 or epoch (UNIX) seconds.
// - "IAM JSON policy elements: Condition" ("The condition context key does not exist"):
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html
//   a key absent from the request context makes the condition false, except for the negated
//   matching operators (StringNotEquals, StringNotLike, ArnNotLike, ...), which are then true.
// - "Single-valued vs. multivalued context keys" (set operators)
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
//   * ForAnyValue: true if at least one request value matches; false when the key is missing or
//     its value set is empty.
//   * ForAllValues: true if every request value matches; TRUE when the key is missing or empty.
//   * A single-valued operator used on a multivalued key (an array in the context) does not match:
//     multivalued keys need a set operator.
// - "Policy variables" apply to the string and ARN operators (values may contain `${...}`).

import { isIPv4, isIPv6 } from 'node:net';
import type { ConditionBlock } from './document.ts';
import type { AmbiguityLean, ContextLookup, ContextValue, ValueMatch } from './match.ts';
import { arnPatternMatch, contextLookup, counts, globMatch } from './match.ts';

type BaseOperator =
  | 'StringEquals' | 'StringNotEquals' | 'StringEqualsIgnoreCase' | 'StringNotEqualsIgnoreCase' | 'StringLike' | 'StringNotLike'
  | 'NumericEquals' | 'NumericNotEquals' | 'NumericLessThan' | 'NumericLessThanEquals' | 'NumericGreaterThan' | 'NumericGreaterThanEquals'
  | 'DateEquals' | 'DateNotEquals' | 'DateLessThan' | 'DateLessThanEquals' | 'DateGreaterThan' | 'DateGreaterThanEquals'
  | 'Bool' | 'BinaryEquals' | 'IpAddress' | 'NotIpAddress' | 'ArnEquals' | 'ArnLike' | 'ArnNotEquals' | 'ArnNotLike' | 'Null';

const BASE_OPERATORS: readonly BaseOperator[] = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];
const BY_LOWER = new Map(BASE_OPERATORS.map((o) => [o.toLowerCase(), o]));

/** The negated matching operators: true on a missing key, and "matches none of the values". */
const NEGATED = new Set<BaseOperator>([
  'StringNotEquals', 'StringNotEqualsIgnoreCase', 'StringNotLike', 'NumericNotEquals', 'DateNotEquals', 'NotIpAddress', 'ArnNotEquals', 'ArnNotLike',
]);

export interface ParsedOperator {
  set?: 'ForAnyValue' | 'ForAllValues';
  base: BaseOperator;
  ifExists: boolean;
  negated: boolean;
}

/** Parses `ForAnyValue:StringLikeIfExists` and friends (case-insensitively); `undefined` if unknown. */
export function parseOperator(op: string): ParsedOperator | undefined {
  let rest = op.trim();
  let set: ParsedOperator['set'];
  const colon = rest.indexOf(':');
  if (colon !== -1) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BY_LOWER.get(rest.toLowerCase());
  if (!base) return undefined;
  if (base === 'Null' && (ifExists || set)) return undefined; // "You can add IfExists to any operator except Null".
  return { set, base, ifExists, negated: NEGATED.has(base) };
}

// ---------------------------------------------------------------------------------------------
// Value comparison: one request value against one policy value.

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const parseNumber = (s: string): number | undefined => (NUMBER.test(s.trim()) ? Number(s.trim()) : undefined);

/** ISO 8601 (W3C profile) or epoch seconds, as milliseconds. */
export function parseDate(s: string): number | undefined {
  const t = s.trim();
  if (/^-?\d+$/.test(t)) return Number(t) * 1000;
  if (!/^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/.test(t)) return undefined;
  // A date-time without an offset is UTC (JavaScript would read it as local time).
  const ms = Date.parse(/T[^Z+-]*$/.test(t) ? `${t}Z` : t);
  return Number.isNaN(ms) ? undefined : ms;
}

function ipv6ToBigInt(ip: string): bigint | undefined {
  if (!isIPv6(ip)) return undefined;
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4ToNumber(v4[1]);
    if (n === undefined) return undefined;
    text = `${text.slice(0, -v4[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const h = head ? head.split(':') : [];
  const t = tail === undefined ? [] : tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) + BigInt(parseInt(g, 16)), 0n);
}

function ipv4ToNumber(ip: string): number | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').reduce((acc, o) => acc * 256 + Number(o), 0);
}

interface Cidr { family: 4 | 6; network: bigint; prefix: number }

export function parseCidr(value: string): Cidr | undefined {
  const [addr, prefixText, extra] = value.trim().split('/');
  if (extra !== undefined) return undefined;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  if (isIPv4(addr)) {
    const prefix = prefixText === undefined ? 32 : Number(prefixText);
    if (prefix > 32) return undefined;
    return { family: 4, network: BigInt(ipv4ToNumber(addr) as number), prefix };
  }
  const v6 = ipv6ToBigInt(addr);
  if (v6 === undefined) return undefined;
  const prefix = prefixText === undefined ? 128 : Number(prefixText);
  if (prefix > 128) return undefined;
  return { family: 6, network: v6, prefix };
}

function ipInCidr(ip: string, cidr: Cidr): boolean | undefined {
  const family = isIPv4(ip) ? 4 : isIPv6(ip) ? 6 : 0;
  if (family === 0) return undefined;
  if (family !== cidr.family) return false;
  const value = family === 4 ? BigInt(ipv4ToNumber(ip) as number) : (ipv6ToBigInt(ip) as bigint);
  const bits = family === 4 ? 32 : 128;
  const shift = BigInt(bits - cidr.prefix);
  return value >> shift === cidr.network >> shift;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

const ok = (b: boolean): ValueMatch => ({ status: b ? 'match' : 'nomatch', unresolved: [] });
const INVALID: ValueMatch = { status: 'invalid', unresolved: [] };

/**
 * Compares one request value with one policy value using the positive form of the operator
 * (StringNotEquals compares like StringEquals; the caller negates).
 */
function compareOne(base: BaseOperator, requestValue: string, policyValue: string, lookup: ContextLookup): ValueMatch {
  switch (base) {
    case 'StringEquals':
    case 'StringNotEquals':
      return globMatch(policyValue, requestValue, { lookup, wildcards: false });
    case 'StringEqualsIgnoreCase':
    case 'StringNotEqualsIgnoreCase':
      return globMatch(policyValue, requestValue, { lookup, wildcards: false, ignoreCase: true });
    case 'StringLike':
    case 'StringNotLike':
      return globMatch(policyValue, requestValue, { lookup, wildcards: true });
    case 'ArnEquals':
    case 'ArnLike':
    case 'ArnNotEquals':
    case 'ArnNotLike':
      return arnPatternMatch(policyValue, requestValue, lookup);
    case 'NumericEquals':
    case 'NumericNotEquals':
    case 'NumericLessThan':
    case 'NumericLessThanEquals':
    case 'NumericGreaterThan':
    case 'NumericGreaterThanEquals': {
      const p = parseNumber(policyValue);
      const r = parseNumber(requestValue);
      if (p === undefined || r === undefined) return INVALID;
      return ok(compareOrdered(base.slice('Numeric'.length), r, p));
    }
    case 'DateEquals':
    case 'DateNotEquals':
    case 'DateLessThan':
    case 'DateLessThanEquals':
    case 'DateGreaterThan':
    case 'DateGreaterThanEquals': {
      const p = parseDate(policyValue);
      const r = parseDate(requestValue);
      if (p === undefined || r === undefined) return INVALID;
      return ok(compareOrdered(base.slice('Date'.length), r, p));
    }
    case 'Bool': {
      const p = policyValue.toLowerCase();
      const r = requestValue.toLowerCase();
      if ((p !== 'true' && p !== 'false') || (r !== 'true' && r !== 'false')) return INVALID;
      return ok(p === r);
    }
    case 'BinaryEquals':
      if (BASE64.test(policyValue) && BASE64.test(requestValue)) return ok(Buffer.from(policyValue, 'base64').equals(Buffer.from(requestValue, 'base64')));
      return ok(policyValue === requestValue);
    case 'IpAddress':
    case 'NotIpAddress': {
      const cidr = parseCidr(policyValue);
      if (!cidr) return INVALID;
      const inside = ipInCidr(requestValue.trim(), cidr);
      return inside === undefined ? INVALID : ok(inside);
    }
    case 'Null':
      return INVALID; // handled by the caller
  }
}

function compareOrdered(relation: string, request: number, policy: number): boolean {
  switch (relation) {
    case 'Equals':
      return request === policy;
    case 'NotEquals':
      return request === policy; // positive form; negated by the caller
    case 'LessThan':
      return request < policy;
    case 'LessThanEquals':
      return request <= policy;
    case 'GreaterThan':
      return request > policy;
    case 'GreaterThanEquals':
      return request >= policy;
    default:
      return false;
  }
}

/**
 * One request value against the list of policy values: any match (positive operators) or no
 * match at all (negated). A policy value that cannot be evaluated (malformed, unresolved
 * variable) satisfies neither form.
 */
function valueSatisfies(op: ParsedOperator, requestValue: string, policyValues: string[], lookup: ContextLookup, unresolved: Set<string>, lean: AmbiguityLean): boolean {
  const results = policyValues.map((pv) => compareOne(op.base, requestValue, pv, lookup));
  for (const r of results) for (const k of r.unresolved) unresolved.add(k);
  // An ambiguous ARN value (match.ts) satisfies the condition exactly when `lean` says it may:
  // for the negated operators that means counting it as "not matched".
  if (op.negated) return results.every((r) => r.status === 'nomatch' || (r.status === 'ambiguous' && lean === 'apply'));
  return results.some((r) => counts(r.status, lean));
}

/**
 * Why a policy value cannot be compared under `base` (IAM would reject the policy), or undefined.
 * Policy variables are resolved later and are not judged here. Request values that do not parse
 * are not policy errors: such a comparison simply does not match.
 */
function policyValueProblem(base: BaseOperator, value: string): string | undefined {
  if (value.includes('${')) return undefined;
  if (base.startsWith('Numeric') && parseNumber(value) === undefined) return `"${value}" is not a number`;
  if (base.startsWith('Date') && parseDate(value) === undefined) return `"${value}" is not a date (ISO 8601 or epoch seconds)`;
  if ((base === 'IpAddress' || base === 'NotIpAddress') && !parseCidr(value)) return `"${value}" is not an IP address or CIDR range`;
  if ((base === 'Bool' || base === 'Null') && !/^(true|false)$/i.test(value.trim())) return `"${value}" is not true or false`;
  return undefined;
}

export interface ConditionOptions {
  /**
   * How an ARN value that matches only under a wider reading of AWS's wildcard rule is resolved
   * (match.ts, arnPatternMatch): `apply` in a Deny statement (the condition holds when it may),
   * `skip` in an Allow (it holds only when it certainly does). Default `skip`.
   */
  lean?: AmbiguityLean;
}

export interface SingleConditionResult {
  operator: string;
  key: string;
  result: boolean;
  /** Keys this condition depends on that the request lacked (the key itself or variables in its values). */
  missingKeys: string[];
  /** Set when the operator is not one AWS knows, or a policy value cannot be read under it (a malformed number, date, CIDR, boolean). */
  error?: string;
}

/** Evaluates one operator + key + values triple. */
export function evaluateSingleCondition(operator: string, key: string, policyValues: string[], lookup: ContextLookup, options: ConditionOptions = {}): SingleConditionResult {
  const lean = options.lean ?? 'skip';
  const op = parseOperator(operator);
  if (!op) return { operator, key, result: false, missingKeys: [], error: `unknown condition operator "${operator}"` };
  const value: ContextValue | undefined = lookup.get(key);
  const missing = value === undefined && !lookup.isKnownAbsent(key) ? [key] : [];
  const unresolved = new Set<string>();
  let result: boolean;
  if (op.base === 'Null') {
    const goal = value === undefined ? 'true' : 'false';
    result = policyValues.some((v) => v.toLowerCase() === goal);
  } else if (value === undefined) {
    if (op.ifExists) result = true;
    else if (op.set === 'ForAllValues') result = true;
    else if (op.set === 'ForAnyValue') result = false;
    else result = op.negated;
  } else if (op.set) {
    const values = typeof value === 'string' ? [value] : value;
    result =
      op.set === 'ForAnyValue'
        ? values.some((v) => valueSatisfies(op, v, policyValues, lookup, unresolved, lean))
        : values.every((v) => valueSatisfies(op, v, policyValues, lookup, unresolved, lean));
  } else if (Array.isArray(value)) {
    // A multivalued key needs ForAnyValue/ForAllValues; a single-valued operator does not match it.
    result = false;
  } else {
    result = valueSatisfies(op, value, policyValues, lookup, unresolved, lean);
  }
  const missingVars = [...unresolved].filter((k) => !lookup.isKnownAbsent(k));
  const problems = policyValues.map((v) => policyValueProblem(op.base, v)).filter((p): p is string => p !== undefined);
  if (policyValues.length === 0) problems.push('no values');
  const error = problems.length ? `condition ${operator} ${key}: ${problems.join('; ')}` : undefined;
  return { operator, key, result, missingKeys: [...missing, ...missingVars], ...(error ? { error } : {}) };
}

export interface ConditionResult {
  result: boolean;
  /**
   * Context keys the outcome depends on that the request context lacked. Empty when the block
   * is already false because of keys that are present (then the missing ones cannot change it).
   */
  missingKeys: string[];
  /** Per operator/key detail, for evidence. */
  details: SingleConditionResult[];
  /** Unknown operators and malformed policy values (the policy would be rejected by IAM). */
  errors: string[];
}

/**
 * Evaluates a whole Condition block (AND over operators and keys). `context` is either a plain
 * record (case-insensitive key names; every absent key counts as missing) or a lookup built by
 * the evaluator, which knows which absences are facts.
 */
export function evaluateCondition(block: ConditionBlock, context: Record<string, ContextValue> | ContextLookup = {}, options: ConditionOptions = {}): ConditionResult {
  const lookup: ContextLookup = typeof (context as ContextLookup).get === 'function' && typeof (context as ContextLookup).isKnownAbsent === 'function'
    ? (context as ContextLookup)
    : contextLookup(context as Record<string, ContextValue>);
  const details: SingleConditionResult[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    for (const [key, values] of Object.entries(keys)) details.push(evaluateSingleCondition(operator, key, values, lookup, options));
  }
  const errors = details.flatMap((d) => (d.error ? [d.error] : []));
  const result = details.every((d) => d.result);
  // False regardless of the missing keys when a condition that depends on none of them is false.
  const decidedWithoutMissing = details.some((d) => !d.result && d.missingKeys.length === 0);
  const missingKeys = decidedWithoutMissing ? [] : [...new Set(details.flatMap((d) => d.missingKeys))];
  return { result, missingKeys, details, errors };
}
