type Shelf = Map<string, unknown>

/**
 * One instance per process of what `create` makes, under `key`. The custom server and Next's route
 * handlers load separate copies of every module in one process; state they must share (counters,
 * limits, the database, the bus) is kept here, on one globalThis key, rather than once per copy.
 */
export function processWide<T>(key: string, create: () => T): T {
  const holder = globalThis as { __relay?: Shelf }
  const shelf = (holder.__relay ??= new Map())
  if (!shelf.has(key)) shelf.set(key, create())
  return shelf.get(key) as T
}
