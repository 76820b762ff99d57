// What a plan says about one fact: a value (and the resources it came from), unknown until apply
// (with the attribute paths it waits for), or not in the plan at all (with the reason). The plan
// fact source turns the last two into skips that name the path or the reason, never a pass.

export type PlanFact<T> =
  | { state: 'known'; value: T; from: string[] }
  | { state: 'unknown'; paths: string[] }
  | { state: 'unavailable'; reason: string };

export const known = <T>(value: T, ...from: string[]): PlanFact<T> => ({ state: 'known', value, from });
export type NotKnown = Exclude<PlanFact<unknown>, { state: 'known' }>;
export const unknown = (...paths: string[]): { state: 'unknown'; paths: string[] } => ({ state: 'unknown', paths });
export const unavailable = (reason: string): { state: 'unavailable'; reason: string } => ({ state: 'unavailable', reason });

/** The first element of a Terraform nested block (blocks are lists of objects in the plan JSON). */
export function block(value: unknown): Record<string, unknown> | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first !== null && typeof first === 'object' && !Array.isArray(first) ? (first as Record<string, unknown>) : undefined;
}

/** Every element of a nested block list (a set or list of objects). */
export function blocks(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v)) : [];
}

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v !== 0 ? v : undefined);
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
