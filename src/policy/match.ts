// Matching of the Action / Resource elements and of policy variables, shared by the evaluator
// (./evaluate.ts) and the condition operators (./conditions.ts).
//
// Sources (AWS IAM User Guide):
// - "IAM JSON policy elements: Action" / "NotAction": the service prefix and the action name are
//   case-insensitive; `*` matches any run of characters, `?` any single character.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
// - "IAM JSON policy elements: Resource" / "NotResource" and "IAM identifiers" (ARN format):
//   ARNs are case-sensitive; wildcards may appear in any of the colon-separated segments; in the
//   last (resource) part `*` also spans `/` and `:`. Section "Using wildcards in resource ARNs":
//   "If the * wildcard is the last character of a resource ARN segment, it can expand to match
//   beyond the colon boundaries." So a pattern with fewer than six segments whose last segment ends
//   in `*` (`arn:aws:s3:*`, `arn:aws:sqs:us-east-1:*`) covers every ARN its leading segments match.
//   The sentence says "can", and says nothing of short patterns without a trailing `*` or of a
//   segment-final `*` in the middle (`arn:aws:sqs:*:queue1`); iam-simulate pads short patterns with
//   `*` segments in identity policies. Such readings are `ambiguous`: callers resolve them so that
//   they can never produce a false pass (a Deny that might apply applies; an Allow that might not
//   apply does not). See arnPatternMatch.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
// - "IAM policy elements: Variables and tags": `${aws:username}` etc. are replaced by the request's
//   values; `${*}`, `${?}`, `${$}` stand for the literal characters; `${key, 'default'}` supplies a
//   default. A variable whose key has no single value in the request (and no default) cannot
//   match anything.
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html

/** A condition-key value in a request context: single-valued keys are strings, multivalued keys are arrays. */
export type ContextValue = string | string[];

/** Read access to request context keys by case-insensitive name. */
export interface ContextLookup {
  /** The key's value, or `undefined` when the request context lacks it. */
  get(key: string): ContextValue | undefined;
  /**
   * `true` when the key's absence is a fact about the request (e.g. `aws:username` for a role
   * session), `false` when it merely was not supplied (e.g. `aws:SourceIp`): only the latter
   * make a result depend on where the request comes from.
   */
  isKnownAbsent(key: string): boolean;
}

/** Builds a lookup over a plain record (names compared case-insensitively). */
export function contextLookup(values: Record<string, ContextValue> | undefined, knownAbsent: (lowerKey: string) => boolean = () => false): ContextLookup {
  const map = new Map<string, ContextValue>();
  for (const [k, v] of Object.entries(values ?? {})) map.set(k.toLowerCase(), v);
  return {
    get: (key) => map.get(key.toLowerCase()),
    isKnownAbsent: (key) => !map.has(key.toLowerCase()) && knownAbsent(key.toLowerCase()),
  };
}

/** Result of turning a policy string with wildcards and variables into a matcher. */
export interface CompiledPattern {
  /** `undefined` when a variable could not be resolved: the value cannot match anything. */
  regex: RegExp | undefined;
  /** Context keys referenced by variables that the request lacked (and that had no default). */
  unresolved: string[];
}

const REGEX_META = /[.*+?^${}()|[\]\\]/g;
const escapeRegex = (s: string): string => s.replace(REGEX_META, '\\$&');

/** Parses the inside of `${...}`: the key and an optional `'default'`. */
function parseVariable(inner: string): { key: string; fallback?: string } {
  const m = /^\s*([^,]+?)\s*(?:,\s*'([^']*)'\s*)?$/.exec(inner);
  if (!m) return { key: inner.trim() };
  return { key: m[1], fallback: m[2] };
}

/**
 * Compiles a policy string to an anchored regular expression.
 * `wildcards`: `*` and `?` are wildcards (Resource, StringLike, ArnLike) or literal characters
 * (StringEquals). `variables`: `${...}` is substituted from `lookup` (undefined: kept literally).
 */
export function compilePattern(value: string, opts: { wildcards: boolean; lookup?: ContextLookup; ignoreCase?: boolean }): CompiledPattern {
  let source = '';
  const unresolved: string[] = [];
  let i = 0;
  let literalStart = 0;
  const flushLiteral = (end: number) => {
    source += escapeRegex(value.slice(literalStart, end));
  };
  while (i < value.length) {
    const ch = value[i];
    if ((ch === '*' || ch === '?') && opts.wildcards) {
      flushLiteral(i);
      source += ch === '*' ? '.*' : '.';
      i += 1;
      literalStart = i;
    } else if (ch === '$' && value[i + 1] === '{' && opts.lookup) {
      const end = value.indexOf('}', i + 2);
      if (end === -1) {
        i += 1;
        continue;
      }
      flushLiteral(i);
      const inner = value.slice(i + 2, end);
      if (inner === '*' || inner === '?' || inner === '$') {
        source += escapeRegex(inner);
      } else {
        const { key, fallback } = parseVariable(inner);
        const v = opts.lookup.get(key);
        if (typeof v === 'string') source += escapeRegex(v);
        else if (fallback !== undefined) source += escapeRegex(fallback);
        else unresolved.push(key);
      }
      i = end + 1;
      literalStart = i;
    } else {
      i += 1;
    }
  }
  flushLiteral(value.length);
  if (unresolved.length > 0) return { regex: undefined, unresolved };
  return { regex: new RegExp(`^${source}$`, opts.ignoreCase ? 'is' : 's'), unresolved };
}

/**
 * Outcome of matching one policy value: `invalid` = could not be evaluated (bad syntax, unresolved
 * variable); `ambiguous` = the value matches under a wider reading of AWS's wildcard rule than the
 * documented one (ARN patterns only; see arnPatternMatch), so the caller decides by the effect.
 */
export type ValueMatch = { status: 'match' | 'nomatch' | 'ambiguous' | 'invalid'; unresolved: string[] };

/**
 * How an `ambiguous` match is resolved: `apply` when the match makes a Deny apply (count it),
 * `skip` when it would make an Allow apply (do not count it). Never a false pass either way.
 */
export type AmbiguityLean = 'apply' | 'skip';

/** Does a value match, with ambiguity resolved by `lean`? */
export const counts = (status: ValueMatch['status'], lean: AmbiguityLean): boolean => status === 'match' || (status === 'ambiguous' && lean === 'apply');

/** Glob match (`*`, `?`) with optional variable substitution. */
export function globMatch(pattern: string, text: string, opts: { lookup?: ContextLookup; ignoreCase?: boolean; wildcards?: boolean } = {}): ValueMatch {
  const compiled = compilePattern(pattern, { wildcards: opts.wildcards ?? true, lookup: opts.lookup, ignoreCase: opts.ignoreCase });
  if (!compiled.regex) return { status: 'invalid', unresolved: compiled.unresolved };
  return { status: compiled.regex.test(text) ? 'match' : 'nomatch', unresolved: [] };
}

/**
 * Does an Action / NotAction entry cover an action? Case-insensitive; `*` alone covers every
 * action; otherwise `service:action` with wildcards in either part. An entry without a colon is
 * not a valid action and covers nothing.
 */
export function actionMatches(pattern: string, action: string): boolean {
  if (/^\*+$/.test(pattern)) return true;
  const p = pattern.indexOf(':');
  const a = action.indexOf(':');
  if (p === -1 || a === -1) return false;
  const service = globMatch(pattern.slice(0, p), action.slice(0, a), { ignoreCase: true });
  if (service.status !== 'match') return false;
  const name = pattern.slice(p + 1);
  if (name.length === 0 || /\s/.test(name)) return false;
  return globMatch(name, action.slice(a + 1), { ignoreCase: true }).status === 'match';
}

/**
 * Splits a string at the colons that are not inside a policy variable (`${aws:PrincipalAccount}`),
 * at most `limit` pieces (the last one keeps the rest, colons included).
 */
function splitColons(text: string, limit: number): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length && parts.length < limit - 1; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      const end = text.indexOf('}', i + 2);
      if (end !== -1) i = end;
    } else if (text[i] === ':') {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Splits an ARN into its five fixed segments and the resource part (which may contain `:`).
 * Colons inside a policy variable (`${aws:PrincipalAccount}`) do not split. `undefined` when the
 * text has fewer than six segments.
 */
export function splitArn(arn: string): string[] | undefined {
  const parts = splitColons(arn, 6);
  return parts.length < 6 ? undefined : parts;
}

/** Segment-by-segment match of two equally long segment lists (glob per segment, variables resolved). */
function segmentsMatch(pattern: string[], arn: string[], lookup: ContextLookup | undefined): ValueMatch {
  let status: ValueMatch['status'] = 'match';
  const unresolved: string[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const m = globMatch(pattern[i], arn[i], { lookup });
    if (m.status === 'invalid') {
      unresolved.push(...m.unresolved);
      status = 'invalid';
    } else if (m.status === 'nomatch' && status === 'match') {
      status = 'nomatch';
    }
  }
  // An unresolved variable makes the value unusable even if another segment already failed.
  return { status: unresolved.length > 0 ? 'invalid' : status, unresolved };
}

/**
 * Matches an ARN pattern (policy side: wildcards, variables) against a concrete ARN,
 * case-sensitively. `*` alone matches everything.
 *
 * - Six or more segments: segment by segment; the sixth (resource) part keeps its colons, and a
 *   `*` there spans them.
 * - Fewer than six segments whose last segment ends in `*` (`arn:aws:s3:*`,
 *   `arn:aws:sqs:us-east-1:*`): the documented rule, IAM User Guide, "IAM JSON policy elements:
 *   Resource", section "Using wildcards in resource ARNs": "If the * wildcard is the last character
 *   of a resource ARN segment, it can expand to match beyond the colon boundaries." The leading
 *   segments match segment by segment, and the last one matches the rest of the ARN, colons
 *   included: `match`.
 * - Otherwise, when the pattern matches only under a wider reading (every `*` spanning colons, as
 *   in `arn:aws:sqs:*:queue1`; or missing segments padded with `*`, which iam-simulate does for
 *   identity policies, `arn:aws:s3` = `arn:aws:s3:*:*:*`), `ambiguous`: the docs do not say the
 *   pattern matches, and do not say it does not.
 *
 * - A wildcard in the service segment (`arn:aws:s3*:::b/*`, `arn:aws:*`): the same section says
 *   "You can't use a wildcard in the service segment that identifies the AWS product", so a match
 *   through it is `ambiguous` too.
 *
 * Returns `invalid` when the request value is not an ARN or a variable could not be resolved.
 */
export function arnPatternMatch(pattern: string, arn: string, lookup?: ContextLookup): ValueMatch {
  if (/^\*+$/.test(pattern)) return { status: 'match', unresolved: [] };
  const r = splitArn(arn);
  if (!r) return { status: 'invalid', unresolved: [] };
  const p = splitColons(pattern, 6);
  let strict: ValueMatch;
  if (p.length === 6) {
    strict = segmentsMatch(p, r, lookup);
  } else if (p[p.length - 1].endsWith('*') && !p[p.length - 1].endsWith('${*}')) {
    const k = p.length;
    strict = segmentsMatch(p, [...r.slice(0, k - 1), r.slice(k - 1).join(':')], lookup);
  } else {
    strict = { status: 'nomatch', unresolved: [] };
  }
  // Same section, Note: "You can't use a wildcard in the service segment that identifies the AWS
  // product." IAM may refuse such a pattern or match with it; neither reading may pass: ambiguous.
  if (strict.status === 'match' && p.length >= 3 && /[*?]/.test(p[2])) return { status: 'ambiguous', unresolved: [] };
  if (strict.status !== 'nomatch') return strict;
  // The wider readings.
  const whole = globMatch(pattern, arn, { lookup });
  if (whole.status === 'match') return { status: 'ambiguous', unresolved: [] };
  if (p.length < 6) {
    const padded = segmentsMatch([...p, ...Array<string>(6 - p.length).fill('*')], r, lookup);
    if (padded.status === 'match') return { status: 'ambiguous', unresolved: [] };
  }
  return strict;
}

/**
 * Does a Resource / NotResource entry cover the ARN? Wildcards plus policy variables
 * (`${aws:username}`, `${aws:userid}`, `${aws:PrincipalAccount}`, `${*}`, `${?}`, `${$}`, ...),
 * resolved from `vars` (names case-insensitive). An unresolvable variable never matches.
 * `lean` resolves an ambiguous pattern (see arnPatternMatch): `skip` (the default) answers whether
 * it certainly covers the ARN, `apply` whether it may.
 */
export function resourceMatches(pattern: string, arn: string, vars?: Record<string, ContextValue> | ContextLookup, lean: AmbiguityLean = 'skip'): boolean {
  const lookup = vars === undefined ? contextLookup({}) : isLookup(vars) ? vars : contextLookup(vars);
  return counts(arnPatternMatch(pattern, arn, lookup).status, lean);
}

function isLookup(v: Record<string, ContextValue> | ContextLookup): v is ContextLookup {
  return typeof (v as ContextLookup).get === 'function' && typeof (v as ContextLookup).isKnownAbsent === 'function';
}
