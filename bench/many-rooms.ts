// Delivery when an instance carries many rooms: 5,000 subscribers (500 people × 10 tabs) in 500
// rooms of 2 to 200 people, each person in about 30 of them, messages spread over every room. A
// server whose fan-out scans every connection per message pays for all 5,000 on each one; one
// indexed by room pays for the room's members only. Compared with the one-room figure of the same
// server in the same run, and with Socket.IO (`io.to(room)`) and bare `ws` (Map<room, Set<socket>>).
import { LOADGEN_CORE, measureSendCost, measureStep, withFanOut, type SendCost, type Step } from './delivery.ts'
import type { Target } from './clients/types.ts'
import { startLoadGenerator } from './support/load-generator.ts'
import type { PinnedProcess } from './support/pinned-process.ts'
import type { ServerKind } from './support/protocol.ts'
import { PEOPLE, TABS_PER_PERSON, roomLayout } from './support/room-layout.ts'

/** About 20,000 deliveries/s (as the one-room step of 1,000 subscribers × 20 msg/s), at ~300 per message. */
const RATE = 66

export type ManyRoomsResult = { kind: ServerKind; rooms: number; subscribers: number; sendCost: SendCost; step: Step }

/** The spread for baselines: rooms are plain names. */
export function baselineSpread(): NonNullable<Target['spread']> {
  const { roomSizes, roomsOfPerson } = roomLayout()
  return { rooms: roomSizes.map((_, room) => `room-${room}`), roomsOfPerson }
}

export async function measureManyRooms(kind: ServerKind, server: PinnedProcess, target: Target, log: (line: string) => void): Promise<ManyRoomsResult> {
  const load = await startLoadGenerator(LOADGEN_CORE, kind, target)
  try {
    const sendCost = await measureSendCost(server, load, RATE, log)
    const subscribers = await load.subscribe(PEOPLE * TABS_PER_PERSON)
    log(`${subscribers} subscribers in ${target.spread!.rooms.length} rooms`)
    await load.run(RATE / 3, 2) // warm-up, not recorded
    const step = withFanOut(await measureStep(server, load, RATE, log), sendCost)
    return { kind, rooms: target.spread!.rooms.length, subscribers, sendCost, step }
  } finally {
    await load.close()
  }
}
