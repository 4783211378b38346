import type { PGlite } from '@electric-sql/pglite'
import { logger } from '../log.ts'

const log = logger('db')

/** How often the embedded database looks for tables whose planner statistics went stale. */
const CHECK_EVERY_MS = 60_000
/** Rows sampled per column: a tenth of PostgreSQL's default keeps one ANALYZE of a big table to tens of milliseconds. */
const STATISTICS_TARGET = 10

/**
 * PGlite has no autovacuum: without this, the planner never learns how big the tables grew and
 * keeps the plans it chose for empty ones (a backlog page that reads 15,000 rows to return 200).
 * Analyzes every table at start, then, like autovacuum's analyze rule, each table that changed by
 * more than 50 rows + 10 % since. Returns the function that stops it.
 */
export async function keepStatisticsFresh(pglite: PGlite): Promise<() => void> {
  await pglite.exec(`SET default_statistics_target = ${STATISTICS_TARGET}; ANALYZE`)
  const timer = setInterval(() => void analyzeStaleTables(pglite).catch((error: unknown) => log.error('ANALYZE failed', { error })), CHECK_EVERY_MS)
  timer.unref()
  return () => clearInterval(timer)
}

async function analyzeStaleTables(pglite: PGlite): Promise<void> {
  const stale = await pglite.query<{ name: string }>(
    `SELECT s.relname AS name FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
     WHERE s.n_mod_since_analyze > 50 + 0.1 * GREATEST(c.reltuples, 0)`,
  )
  // One table per statement: the server answers its sockets between them.
  for (const { name } of stale.rows) await pglite.exec(`ANALYZE "${name.replaceAll('"', '""')}"`)
}
