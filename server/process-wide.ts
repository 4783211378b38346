type Shelf = Map<string, unknown>

/**
 * One instance per process of what `create` makes, under `key`. The custom server and Next's route
 * handlers load separate copies of every module in one process; state they must share (the
 * database, the bus, the stream, counters, limits) is kept here, on one globalThis key, rather
 * than once per copy. Every such piece of state in the server goes through this function.
 */
export function processWide<T>(key: string, create: () => T): T {
  const holder = globalThis as { __relay?: Shelf }
  const shelf = (holder.__relay ??= new Map())
  if (!shelf.has(key)) shelf.set(key, create())
  return shelf.get(key) as T
}

/** A process-wide slot whose value is set, replaced and cleared over the process's life (the database, the bus). */
export type Slot<T> = { current: T | undefined }

export function processWideSlot<T>(key: string): Slot<T> {
  return processWide<Slot<T>>(key, () => ({ current: undefined }))
}
