import type { ChaosClient } from './chaos-client.ts'

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
