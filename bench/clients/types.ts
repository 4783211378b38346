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
}

/** Receives every frame a subscriber gets, as text (one SSE event's data counts as one frame). */
export type OnFrame = (frame: string) => void

export type Subscriber = { close(): void }

/** Opens subscriber number `index`; resolves once it will receive the room's next message. */
export type Subscribe = (target: Target, index: number, onFrame: OnFrame) => Promise<Subscriber>

export type Publisher = {
  send(text: string, clientId: string): void
  /** Sends the server refused or that failed. */
  failures(): number
  close(): void
}

export type OpenPublisher = (target: Target) => Promise<Publisher>

export type ServerClient = { subscribe: Subscribe; openPublisher: OpenPublisher }
