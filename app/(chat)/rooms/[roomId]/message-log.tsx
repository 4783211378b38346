'use client'
import { Fragment, useEffect, useLayoutEffect, useRef } from 'react'
import type { PendingMessage, Timeline } from '../../_lib/timeline-store'
import { useChat } from '../../_components/chat-provider'
import { MessageItem } from './message-item'
import { MessageText } from './message-text'

/** Within this many pixels of the bottom, the reader is following the conversation. */
const FOLLOW_THRESHOLD_PX = 48
/** Older messages load when the reader scrolls this close to the top. */
const LOAD_OLDER_THRESHOLD_PX = 200

type ScrollAnchor = { height: number; top: number; firstSeq: number | undefined }

type Props = {
  roomId: string
  timeline: Timeline
  /** The reader's marker when the room opened: "New messages" goes after it. */
  unreadFrom?: number | undefined
  /** A message to bring into view and highlight (a search result). */
  focus?: { seq: number; at: number } | undefined
}

export function MessageLog({ roomId, timeline, unreadFrom, focus }: Props) {
  const { store, me } = useChat()
  const logRef = useRef<HTMLDivElement>(null)
  const following = useRef(true)
  const anchor = useRef<ScrollAnchor>({ height: 0, top: 0, firstSeq: undefined })
  const firstSeq = timeline.confirmed[0]?.seq

  useLayoutEffect(() => {
    const log = logRef.current
    if (!log) return
    const previous = anchor.current
    // The reader scrolled and its event has not fired yet: judge from where they are now.
    if (log.scrollTop !== previous.top) following.current = previous.height - log.scrollTop - log.clientHeight < FOLLOW_THRESHOLD_PX
    if (previous.firstSeq !== undefined && firstSeq !== undefined && firstSeq < previous.firstSeq) {
      // Older messages were put above: keep what the reader was looking at in place.
      log.scrollTop = log.scrollHeight - previous.height + previous.top
    } else if (following.current) {
      log.scrollTop = log.scrollHeight
    }
    anchor.current = { height: log.scrollHeight, top: log.scrollTop, firstSeq }
    // A screen taller than one page: keep loading until it can scroll.
    if (timeline.hasMore && log.scrollHeight <= log.clientHeight) void store.loadOlder(roomId)
  }, [timeline.confirmed, timeline.pending, timeline.hasMore, firstSeq, store, roomId])

  useEffect(() => {
    const target = focus && logRef.current?.querySelector<HTMLElement>(`article[data-seq="${focus.seq}"]`)
    if (!target) return
    following.current = false
    target.scrollIntoView({ block: 'center' })
    target.classList.add('focused')
    const timer = setTimeout(() => target.classList.remove('focused'), 3_000)
    return () => clearTimeout(timer)
  }, [focus])

  const onScroll = () => {
    const log = logRef.current
    if (!log) return
    following.current = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_THRESHOLD_PX
    anchor.current = { ...anchor.current, height: log.scrollHeight, top: log.scrollTop }
    if (log.scrollTop < LOAD_OLDER_THRESHOLD_PX && timeline.hasMore) void store.loadOlder(roomId)
  }

  // The first message from someone else after the reader's marker when they opened the room.
  const firstUnreadSeq = unreadFrom === undefined ? undefined : timeline.confirmed.find((message) => message.seq > unreadFrom && message.author.id !== me.id)?.seq

  const empty = timeline.loaded && timeline.confirmed.length === 0 && timeline.pending.length === 0
  // Offline before the first page: the notice above says why nothing loads, and the log shows the outbox.
  const loading = !timeline.loaded && !timeline.offline

  return (
    <div ref={logRef} className="log" role="log" aria-label="Messages" aria-busy={loading} onScroll={onScroll} tabIndex={0}>
      {timeline.loadingOlder && <p className="muted center">Loading older messages…</p>}
      {timeline.loaded && !timeline.hasMore && timeline.confirmed.length > 0 && <p className="muted center">Start of the conversation</p>}
      {loading && <p className="muted center">Loading messages…</p>}
      {empty && <p className="empty center">No messages yet. Say hello!</p>}
      {timeline.confirmed.map((message) => (
        <Fragment key={message.seq}>
          {message.seq === firstUnreadSeq && (
            <div className="new-divider" role="separator" aria-label="New messages">
              <span>New messages</span>
            </div>
          )}
          <MessageItem message={message} mine={message.author.id === me.id} />
        </Fragment>
      ))}
      {timeline.pending.map((pending) => (
        <PendingItem key={pending.clientId} pending={pending} authorName={me.name} />
      ))}
    </div>
  )
}

const PENDING_LABEL: Record<PendingMessage['status'], string> = {
  waiting: 'Waiting for connection…',
  sending: 'Sending…',
  failed: 'Not sent',
}

export function PendingItem({ pending, authorName }: { pending: PendingMessage; authorName: string }) {
  const { store } = useChat()
  const failed = pending.status === 'failed'
  return (
    <article className={`message mine ${pending.status}`} data-status={failed ? 'failed' : 'pending'}>
      <header>
        <span className="author">{authorName}</span>
        <span className="muted">{PENDING_LABEL[pending.status]}</span>
        {!failed && pending.cancellable && (
          <button type="button" className="link" onClick={() => store.cancel(pending.clientId)}>
            Cancel
          </button>
        )}
      </header>
      <MessageText text={pending.text} />
      {failed && (
        <p className="send-failed" role="alert">
          {pending.error}{' '}
          <button type="button" className="link" onClick={() => store.retry(pending.clientId)}>
            Retry
          </button>{' '}
          <button type="button" className="link" onClick={() => store.cancel(pending.clientId)}>
            Discard
          </button>
        </p>
      )}
    </article>
  )
}
