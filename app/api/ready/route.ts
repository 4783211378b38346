import { readiness } from '@/server/health/readiness'

export const dynamic = 'force-dynamic'

/** Readiness: 503 while the database or the bus is unreachable or the instance is shutting down. */
export async function GET(): Promise<Response> {
  const state = await readiness()
  return Response.json(state, { status: state.ready ? 200 : 503, headers: { 'cache-control': 'no-store' } })
}
