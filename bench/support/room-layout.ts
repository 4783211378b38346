// The many-rooms scenario's shape: who is in which room. Deterministic, so every server under test
// carries exactly the same job.

/** People (the app: signed-up users); each opens TABS_PER_PERSON subscriptions. */
export const PEOPLE = 500
export const TABS_PER_PERSON = 10
export const ROOMS = 500
const SMALLEST_ROOM = 2
const LARGEST_ROOM = 200

/**
 * Room r's size in people: most rooms small, a few large (2 … 200), as in a real workspace.
 * Members are spread with a stride, so each person is in several rooms of different sizes.
 */
export function roomLayout(): { roomSizes: number[]; roomsOfPerson: number[][] } {
  const roomsOfPerson: number[][] = Array.from({ length: PEOPLE }, () => [])
  const roomSizes: number[] = []
  for (let room = 0; room < ROOMS; room++) {
    const size = SMALLEST_ROOM + Math.floor((LARGEST_ROOM - SMALLEST_ROOM) * (room / (ROOMS - 1)) ** 6)
    roomSizes.push(size)
    const first = (room * 37) % PEOPLE
    for (let k = 0; k < size; k++) roomsOfPerson[(first + k * 7) % PEOPLE]!.push(room)
  }
  return { roomSizes, roomsOfPerson }
}
