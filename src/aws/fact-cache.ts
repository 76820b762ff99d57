// Memoizes facts by key. Concurrent callers share one in-flight request; a failure is memoized
// too (asking again would only repeat the same denied call). A fleet run passes one cache to
// every target so facts that are the same (account-level settings, a shared principal's policies,
// the caller per credential) are fetched once.

export class FactCache {
  private readonly entries = new Map<string, Promise<unknown>>();

  get<T>(key: string, fetch: () => Promise<T>): Promise<T> {
    let entry = this.entries.get(key) as Promise<T> | undefined;
    if (!entry) {
      entry = fetch();
      // Avoid an unhandled rejection when nobody awaits a failed fact.
      entry.catch(() => undefined);
      this.entries.set(key, entry);
    }
    return entry;
  }

  get size(): number {
    return this.entries.size;
  }
}
