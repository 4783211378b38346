// After the chaos run, with the server stopped: what the database holds for the chaos rooms.
import path from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import pg from 'pg'

export type StoredMessage = { roomId: string; seq: number; clientId: string }

const QUERY = 'SELECT "roomId", "seq", "clientId" FROM "Message" WHERE "roomId" = ANY($1) ORDER BY "roomId", "seq"'

export async function storedMessages(roomIds: readonly string[], { databaseUrl, dataDir }: { databaseUrl?: string; dataDir: string }): Promise<StoredMessage[]> {
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    try {
      return (await client.query<StoredMessage>(QUERY, [roomIds])).rows
    } finally {
      await client.end()
    }
  }
  const pglite = await PGlite.create(path.join(dataDir, 'pglite'))
  try {
    return (await pglite.query<StoredMessage>(QUERY, [roomIds])).rows
  } finally {
    await pglite.close()
  }
}

/** Problems with what is stored: a seq missing or repeated in a room, a clientId stored twice. */
export function storageProblems(stored: readonly StoredMessage[]): string[] {
  const problems: string[] = []
  const expectedSeq = new Map<string, number>()
  const clientIds = new Set<string>()
  for (const message of stored) {
    const expected = (expectedSeq.get(message.roomId) ?? 0) + 1
    if (message.seq !== expected) problems.push(`room ${message.roomId}: seq ${message.seq} where ${expected} was expected`)
    expectedSeq.set(message.roomId, message.seq)
    if (clientIds.has(message.clientId)) problems.push(`clientId ${message.clientId} stored twice`)
    clientIds.add(message.clientId)
  }
  return problems
}
