'use client'
import type { ClientEvent } from '@/server/chat/types'
import type { TransportStatus } from './status'

export type RequestType = 'query' | 'mutation'

/** A failed request as it crosses between tabs: a server refusal keeps tRPC's error shape, a lost connection has none. */
export type RelayedError = { message: string; shape?: unknown }

/** What the tabs of one person in one browser tell each other. */
export type TabMessage =
  /** A tab opened, or resumed after being frozen: the holder answers with its status. */
  | { kind: 'hello' }
  /** A tab has not heard the holder for a while: a holder that is alive answers at once. */
  | { kind: 'ping' }
  /** The holder's state, on every change and every second (its heartbeat). */
  | { kind: 'status'; status: TransportStatus; tabs: number; lastEventId: string | undefined }
  /** One event of the stream, with its tracked id, as the holder received it. */
  | { kind: 'event'; id: string; event: ClientEvent }
  /** The holder is letting go (closing, frozen): requests it was carrying will not be answered. */
  | { kind: 'resign' }
  /** The session ended (signed out elsewhere, expired). */
  | { kind: 'signed-out' }
  | { kind: 'request'; requestId: string; type: RequestType; path: string; input: unknown }
  | { kind: 'abort'; requestId: string }
  | { kind: 'response'; to: string; requestId: string; data?: unknown; error?: RelayedError }

type Envelope = TabMessage & { from: string; userId: string }

/**
 * A BroadcastChannel of one person's tabs in this browser. Every message names its sender tab
 * and the user it speaks for; a message for another user (someone else signed in since) is not
 * this tab's business and is dropped.
 */
export class TabChannel {
  private readonly channel: BroadcastChannel

  constructor(
    private readonly userId: string,
    readonly tabId: string,
    onMessage: (message: TabMessage, from: string) => void,
  ) {
    this.channel = new BroadcastChannel(`relay-live:${userId}`)
    this.channel.onmessage = ({ data }: MessageEvent<Envelope>) => {
      if (data.userId !== this.userId || data.from === this.tabId) return
      onMessage(data, data.from)
    }
  }

  post(message: TabMessage): void {
    try {
      this.channel.postMessage({ ...message, from: this.tabId, userId: this.userId } satisfies Envelope)
    } catch {
      // Closed (the tab is going) or a value that cannot be cloned: the other tabs recover by timeout.
    }
  }

  close(): void {
    this.channel.close()
  }
}
