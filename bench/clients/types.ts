import type { Sender } from './app-senders.ts'

/** Where the load generator connects, and as whom (the app needs signed-in users; baselines do not). */
export type Target = {
  url: string
  /** Baselines: a room name. The app: the room's id. */
  room: string
  /** The app: session cookies of the room's members; subscriber i signs in as member i % length. */
  memberCookies: string[]
  /** The app: the session cookie of the user who sends. */
  senderCookie: string
  /** The app's persistence steps: people who each type in a room of their own. */
  senders?: Sender[]
  /**
   * The many-rooms scenario: message i goes to rooms[i % rooms.length]; subscriber i is person
   * i % roomsOfPerson.length (the app: signed in with that person's cookie, in their rooms), in
   * the rooms roomsOfPerson lists (indexes into `rooms`).
   */
  spread?: { rooms: string[]; roomsOfPerson: number[][] }
}

/** The rooms subscriber `index` is in: the spread's for its person, else the target's one room. */
export function roomsOfSubscriber(target: Target, index: number): string[] {
  if (!target.spread) return [target.room]
  const { rooms, roomsOfPerson } = target.spread
  return roomsOfPerson[index % roomsOfPerson.length]!.map((room) => rooms[room]!)
}

/** Receives every frame a subscriber gets, as text (one SSE event's data counts as one frame). */
export type OnFrame = (frame: string) => void

export type Subscriber = { close(): void }

/** Opens subscriber number `index`; resolves once it will receive the room's next message. */
export type Subscribe = (target: Target, index: number, onFrame: OnFrame) => Promise<Subscriber>

export type Publisher = {
  /** Sends to `room` (the many-rooms scenario), else to the target's room. */
  send(text: string, clientId: string, room?: string): void
  /** Sends the server refused or that failed. */
  failures(): number
  close(): void
}

export type OpenPublisher = (target: Target) => Promise<Publisher>

export type ServerClient = { subscribe: Subscribe; openPublisher: OpenPublisher }
