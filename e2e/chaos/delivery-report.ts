import { sleep, type ChaosClient } from './chaos-client.ts'

export type DeliveryCounts = { delivered: number; lost: number; duplicated: number; outOfOrder: number }
export type DeliveryReport = DeliveryCounts & { name: string; transport: string; switches: number }

/**
 * What one client saw against what was stored: every seq 1..n of each of its rooms once, in
 * increasing order. A repeat counts as duplicated; a seq below one already seen, out of order.
 */
export function deliveryReport(client: ChaosClient, roomIds: readonly string[], countByRoom: ReadonlyMap<string, number>): DeliveryReport {
  const counts: DeliveryCounts = { delivered: 0, lost: 0, duplicated: 0, outOfOrder: 0 }
  for (const roomId of roomIds) {
    const expected = countByRoom.get(roomId) ?? 0
    const seen = new Set<number>()
    let highest = 0
    for (const seq of client.arrivals.get(roomId) ?? []) {
      if (seen.has(seq)) {
        counts.duplicated++
        continue
      }
      if (seq < highest) counts.outOfOrder++
      seen.add(seq)
      highest = Math.max(highest, seq)
    }
    counts.delivered += seen.size
    for (let seq = 1; seq <= expected; seq++) if (!seen.has(seq)) counts.lost++
  }
  return { ...counts, name: client.name, transport: client.transport, switches: client.switches }
}

export function formatReport({ delivered, lost, duplicated, outOfOrder }: DeliveryCounts): string {
  return `delivered ${delivered}, lost ${lost}, duplicated ${duplicated}, out of order ${outOfOrder}`
}

/**
 * Once sending is over: waits (up to `waitMs`) until every client has every acknowledged message
 * of its rooms, stops the clients, prints one line per client (`describe` adds what the run wants
 * said of it) and the total, and returns the total. Shared by the chaos and scale-out runs.
 */
export async function settleDeliveries(
  clients: readonly ChaosClient[],
  roomsOf: (clientIndex: number) => readonly string[],
  waitMs: number,
  describe: (report: DeliveryReport) => string,
): Promise<DeliveryCounts> {
  const countByRoom = new Map<string, number>()
  for (const message of clients.flatMap((client) => client.acknowledged)) countByRoom.set(message.roomId, (countByRoom.get(message.roomId) ?? 0) + 1)
  const reports = () => clients.map((client, i) => deliveryReport(client, roomsOf(i), countByRoom))
  const deadline = performance.now() + waitMs
  while (performance.now() < deadline && reports().some((report) => report.lost > 0)) await sleep(200)
  for (const client of clients) client.stop()
  const totals: DeliveryCounts = { delivered: 0, lost: 0, duplicated: 0, outOfOrder: 0 }
  for (const report of reports()) {
    console.log(`  ${report.name.padEnd(8)} ${formatReport(report)}   (${describe(report)})`)
    for (const key of Object.keys(totals) as (keyof DeliveryCounts)[]) totals[key] += report[key]
  }
  console.log(`  ${'total'.padEnd(8)} ${formatReport(totals)}`)
  return totals
}
