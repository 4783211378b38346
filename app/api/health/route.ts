export const dynamic = 'force-dynamic'

/** Liveness: the process answers HTTP. (The browser also uses it to tell "WebSocket blocked" from "server down".) */
export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } })
}
