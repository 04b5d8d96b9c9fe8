/** Runs `fn` over the items `size` at a time (the API server and a 2-core machine both prefer it to all at once). */
export async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}
