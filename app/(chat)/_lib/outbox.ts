/** A message the user sent that the server has not acknowledged yet. */
export type OutboxEntry = {
  clientId: string
  roomId: string
  text: string
  /** Epoch ms when typed. */
  createdAt: number
  /** Send order: increases with every message this browser queues. */
  order: number
  /** Set when the server refused it for good (the user decides: Retry or Discard). */
  error?: string | undefined
}

/** Durable storage of the outbox; every call resolves once the change is stored. */
export type Outbox = {
  list(): Promise<OutboxEntry[]>
  has(clientId: string): Promise<boolean>
  put(entry: OutboxEntry): Promise<void>
  remove(clientId: string): Promise<void>
}

const STORE = 'messages'

/** One database per user, so a message is never sent under someone else's session. */
export function openOutbox(userId: string): Outbox {
  if (typeof indexedDB === 'undefined') return memoryOutbox()
  let opening: Promise<IDBDatabase> | undefined
  const database = () => (opening ??= openDatabase(`relay-outbox:${userId}`))
  const run = async <T>(mode: IDBTransactionMode, action: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const transaction = (await database()).transaction(STORE, mode)
    const request = action(transaction.objectStore(STORE))
    // Resolve on commit, not on the request's success: only then is the change on disk.
    return new Promise<T>((resolve, reject) => {
      transaction.oncomplete = () => resolve(request.result)
      transaction.onerror = () => reject(transaction.error)
      transaction.onabort = () => reject(transaction.error ?? new Error('Outbox transaction aborted'))
    })
  }
  return {
    list: async () => sortBySendOrder(await run('readonly', (store) => store.getAll() as IDBRequest<OutboxEntry[]>)),
    has: async (clientId) => (await run('readonly', (store) => store.count(clientId))) > 0,
    put: async (entry) => void (await run('readwrite', (store) => store.put(entry))),
    remove: async (clientId) => void (await run('readwrite', (store) => store.delete(clientId))),
  }
}

function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'clientId' })
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

/** Where IndexedDB is missing (tests, some private modes): survives neither reload nor tab close. */
export function memoryOutbox(): Outbox {
  const entries = new Map<string, OutboxEntry>()
  return {
    list: async () => sortBySendOrder([...entries.values()].map((entry) => ({ ...entry }))),
    has: async (clientId) => entries.has(clientId),
    put: async (entry) => void entries.set(entry.clientId, { ...entry }),
    remove: async (clientId) => void entries.delete(clientId),
  }
}

function sortBySendOrder(entries: OutboxEntry[]): OutboxEntry[] {
  return entries.sort((a, b) => a.order - b.order)
}

let lastOrder = 0

/** Strictly increasing within a tab, after everything already queued, and roughly by time across tabs. */
export function nextSendOrder(): number {
  lastOrder = Math.max(Date.now(), lastOrder + 1)
  return lastOrder
}

/** What is already queued (from before a reload, or another tab) goes before anything typed next, even if the clock went back. */
export function sendAfter(entries: readonly OutboxEntry[]): void {
  for (const entry of entries) lastOrder = Math.max(lastOrder, entry.order)
}
