// Work that must not be cut short by an impatient second Ctrl-C (the probe removing what it wrote).
// While a guard is held, the CLI's signal handler asks for one more signal before it exits.

const held = new Set<string>();

/** Holds the exit guard for `what`; returns the release function. */
export function guardExit(what: string): () => void {
  const token = `${what}#${Math.random()}`;
  held.add(token);
  return () => void held.delete(token);
}

/** What currently holds the guard (empty: exiting at once is safe). */
export function exitGuards(): string[] {
  return [...new Set([...held].map((t) => t.split('#')[0]))];
}
