import type { PrismaClient } from '../db/generated/client.ts'

/** The client inside `db().$transaction(async (tx) => …)`, or the client itself. */
export type Tx = Omit<PrismaClient, '$connect' | '$disconnect' | '$on' | '$transaction' | '$extends'>
