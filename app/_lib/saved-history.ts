import type { ChatMessage, MemberRoom } from '@/server/chat/types'

/** The newest messages of each room kept for a reload while offline (the first page a room shows). */
export const SAVED_MESSAGES_PER_ROOM = 100

/** Every user's saved history lives in a database named so; all of them go when the person changes. */
export const SAVED_HISTORY_PREFIX = 'relay-history:'

/**
 * What this browser keeps of a person's chat, so that a reload while offline still shows their
 * rooms and the last messages it showed them: the room list and the newest messages of each room.
 * One IndexedDB database per user; emptied whenever the signed-in person changes (see
 * offline-cache.ts). A copy for reading offline only: the server stays the truth, and every load
 * that reaches it replaces what is here.
 */
export type SavedHistory = {
  rooms(): Promise<MemberRoom[] | undefined>
  saveRooms(rooms: readonly MemberRoom[]): Promise<void>
  messages(roomId: string): Promise<ChatMessage[] | undefined>
  saveMessages(roomId: string, messages: readonly ChatMessage[]): Promise<void>
}

const STORE = 'entries'
const ROOMS_KEY = 'rooms'
const roomKey = (roomId: string) => `room:${roomId}`

export function openSavedHistory(userId: string): SavedHistory {
  if (typeof indexedDB === 'undefined') return nothingSaved
  let opening: Promise<IDBDatabase> | undefined
  const database = () => (opening ??= openDatabase(`${SAVED_HISTORY_PREFIX}${userId}`))
  const read = async <T>(key: string): Promise<T | undefined> => {
    const request = (await database()).transaction(STORE, 'readonly').objectStore(STORE).get(key)
    return new Promise<T | undefined>((resolve, reject) => {
      request.onsuccess = () => resolve(request.result as T | undefined)
      request.onerror = () => reject(request.error)
    })
  }
  const write = async (key: string, value: unknown): Promise<void> => {
    const transaction = (await database()).transaction(STORE, 'readwrite')
    transaction.objectStore(STORE).put(value, key)
    return new Promise<void>((resolve, reject) => {
      transaction.oncomplete = () => resolve()
      transaction.onerror = () => reject(transaction.error)
    })
  }
  return {
    rooms: () => read<MemberRoom[]>(ROOMS_KEY).catch(() => undefined),
    saveRooms: (rooms) => write(ROOMS_KEY, rooms).catch(() => {}),
    messages: (roomId) => read<ChatMessage[]>(roomKey(roomId)).catch(() => undefined),
    saveMessages: (roomId, messages) => write(roomKey(roomId), messages.slice(-SAVED_MESSAGES_PER_ROOM)).catch(() => {}),
  }
}

/** Where IndexedDB is missing (server rendering, some private modes): nothing is kept. */
export const nothingSaved: SavedHistory = {
  rooms: async () => undefined,
  saveRooms: async () => {},
  messages: async () => undefined,
  saveMessages: async () => {},
}

function openDatabase(name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1)
    request.onupgradeneeded = () => request.result.createObjectStore(STORE)
    request.onsuccess = () => resolve(request.result)
    request.onerror = () => reject(request.error)
  })
}

/** Deletes every person's saved history in this browser. */
export async function forgetSavedHistory(): Promise<void> {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return
  const names = (await indexedDB.databases()).map((info) => info.name).filter((name): name is string => name?.startsWith(SAVED_HISTORY_PREFIX) ?? false)
  await Promise.all(
    names.map(
      (name) =>
        new Promise<void>((resolve) => {
          const request = indexedDB.deleteDatabase(name)
          request.onsuccess = request.onerror = request.onblocked = () => resolve()
        }),
    ),
  )
}
