'use client'

/** After asking a socket to close, wait this long for the peer's answer before treating it as closed. */
const CLOSE_HANDSHAKE_WAIT_MS = 500

let promptCloseClass: typeof WebSocket | undefined

/**
 * A WebSocket class whose `close()` takes effect within half a second. On a half-open connection the
 * closing handshake never completes and browsers fire `close` only after their own long
 * timeout, so tRPC's heartbeat would notice a dead peer but reconnect much later. If the real
 * `close` has not come by then, a synthetic one is dispatched and the late real events are dropped.
 * Built on first use: the module is also evaluated during server rendering, where there is no WebSocket.
 */
export function promptCloseWebSocket(): typeof WebSocket {
  promptCloseClass ??= class PromptCloseWebSocket extends WebSocket {
    private closedEarly = false
    private dispatchingOwnClose = false
    private readonly wrappedListeners = new WeakMap<EventListenerOrEventListenerObject, EventListener>()

    override close(code?: number, reason?: string): void {
      super.close(code, reason)
      setTimeout(() => {
        if (this.readyState === WebSocket.CLOSED || this.closedEarly) return
        this.closedEarly = true
        this.dispatchingOwnClose = true
        try {
          this.dispatchEvent(new CloseEvent('close', { code: 4000, reason: 'closing handshake timed out', wasClean: false }))
        } finally {
          this.dispatchingOwnClose = false
        }
      }, CLOSE_HANDSHAKE_WAIT_MS)
    }

    override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
      if (!listener) return
      if (type !== 'close' && type !== 'error') return super.addEventListener(type, listener, options)
      // Once closed here, the socket's own late close or error must not close its successor too.
      const wrapped: EventListener = (event) => {
        if (this.closedEarly && !this.dispatchingOwnClose) return
        if (typeof listener === 'function') listener.call(this, event)
        else listener.handleEvent(event)
      }
      this.wrappedListeners.set(listener, wrapped)
      super.addEventListener(type, wrapped, options)
    }

    override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
      if (!listener) return
      super.removeEventListener(type, this.wrappedListeners.get(listener) ?? listener, options)
    }
  }
  return promptCloseClass
}
