'use client'
import { Fragment, useEffect, useLayoutEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react'
import type { PendingMessage, Timeline } from '../../_lib/timeline-store'
import { useChat } from '../../_components/chat-provider'
import { MessageItem } from './message-item'
import { MessageText } from './message-text'
import { timelineRows } from './timeline-rows'
import type { UnreadAtOpen } from './use-read-marker'

/** Within this many pixels of the bottom, the reader is following the conversation. */
const FOLLOW_THRESHOLD_PX = 48
/** Older messages load when the reader scrolls this close to the top. */
const LOAD_OLDER_THRESHOLD_PX = 200

type ScrollAnchor = { height: number; top: number; firstSeq: number | undefined }

type Props = {
  roomId: string
  timeline: Timeline
  /** What was unread when the room opened: "New messages" goes above the first of it. */
  unread?: UnreadAtOpen | undefined
  /** A message to bring into view and highlight (a search result). */
  focus?: { seq: number; at: number } | undefined
}

/**
 * The conversation: older pages load as the reader scrolls up, the view follows new messages while
 * the reader is at the bottom, and "Jump to latest" says how many arrived below while they were not.
 * One tab stop (roving focus): ↑/↓, Home/End move between messages, Enter reaches a message's
 * actions, Escape comes back to the message.
 */
export function MessageLog({ roomId, timeline, unread, focus }: Props) {
  const { store, me } = useChat()
  const logRef = useRef<HTMLDivElement>(null)
  const following = useRef(true)
  // The newest seq when the reader scrolled away from the bottom; undefined while following.
  const [awayFrom, setAwayFrom] = useState<number>()
  // The message holding the log's tab stop; the newest one until the reader moves.
  const [currentSeq, setCurrentSeq] = useState<number>()
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
    target.focus({ preventScroll: true })
    target.scrollIntoView({ block: 'center' })
    target.classList.add('focused')
    const timer = setTimeout(() => target.classList.remove('focused'), 3_000)
    return () => clearTimeout(timer)
  }, [focus])

  const onScroll = () => {
    const log = logRef.current
    if (!log) return
    following.current = log.scrollHeight - log.scrollTop - log.clientHeight < FOLLOW_THRESHOLD_PX
    const newest = timeline.confirmed.at(-1)?.seq ?? 0
    if (following.current !== (awayFrom === undefined)) setAwayFrom(following.current ? undefined : newest)
    anchor.current = { ...anchor.current, height: log.scrollHeight, top: log.scrollTop }
    if (log.scrollTop < LOAD_OLDER_THRESHOLD_PX && timeline.hasMore) void store.loadOlder(roomId)
  }

  // Screen readers hear new messages from others once, as they arrive; never the history loading above.
  const newest = timeline.confirmed.at(-1)
  const [announcement, setAnnouncement] = useState('')
  const announcedSeq = useRef<number | undefined>(undefined)
  useEffect(() => {
    if (!newest || !timeline.loaded) return
    const previous = announcedSeq.current
    announcedSeq.current = newest.seq
    if (previous !== undefined && newest.seq > previous && newest.author.id !== me.id) setAnnouncement(`${newest.author.name}: ${newest.text}`)
  }, [newest, timeline.loaded, me.id])

  const rows = useMemo(() => timelineRows(timeline.confirmed, me.id, unread, new Date()), [timeline.confirmed, me.id, unread])
  const tabStop = currentSeq !== undefined && rows.some((row) => row.message.seq === currentSeq) ? currentSeq : rows.at(-1)?.message.seq
  const belowCount = awayFrom === undefined ? 0 : rows.filter((row) => row.message.seq > awayFrom).length

  const jumpToLatest = () => {
    const log = logRef.current
    if (!log) return
    following.current = true
    setAwayFrom(undefined)
    log.scrollTop = log.scrollHeight
    log.querySelector<HTMLElement>('article.message:last-of-type')?.focus({ preventScroll: true })
  }

  const onFocus = (event: FocusEvent) => {
    const seq = (event.target as HTMLElement).closest<HTMLElement>('article[data-seq]')?.dataset.seq
    if (seq !== undefined) setCurrentSeq(Number(seq))
  }

  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.target as HTMLElement
    const article = target.closest<HTMLElement>('article.message')
    if (!article) return
    if (target !== article) {
      // From a message's button back to the message itself.
      if (event.key === 'Escape') article.focus()
      return
    }
    const articles = [...(logRef.current?.querySelectorAll<HTMLElement>('article.message') ?? [])]
    const index = articles.indexOf(article)
    const next = { ArrowUp: index - 1, ArrowDown: index + 1, Home: 0, End: articles.length - 1 }[event.key]
    if (next !== undefined) {
      event.preventDefault()
      articles[Math.max(0, Math.min(articles.length - 1, next))]?.focus()
    } else if (event.key === 'Enter') {
      event.preventDefault()
      article.querySelector<HTMLElement>('.message-actions button, button')?.focus()
    }
  }

  const empty = timeline.loaded && timeline.confirmed.length === 0 && timeline.pending.length === 0
  // Offline before the first page: the notice above says why nothing loads, and the log shows the outbox.
  const loading = !timeline.loaded && !timeline.offline

  return (
    <div className="log-frame">
    <div ref={logRef} className="log" role="log" aria-live="off" aria-label="Messages" aria-busy={loading} onScroll={onScroll} onFocus={onFocus} onKeyDown={onKeyDown} tabIndex={rows.length === 0 ? 0 : -1}>
      {timeline.loadingOlder && <p className="muted center">Loading older messages…</p>}
      {timeline.loaded && !timeline.hasMore && timeline.confirmed.length > 0 && <p className="muted center">Start of the conversation</p>}
      {loading && <p className="muted center">Loading messages…</p>}
      {empty && <p className="empty center">No messages yet. Say hello!</p>}
      {rows.map(({ message, day, firstUnread, startsRun }) => (
        <Fragment key={message.seq}>
          {day && (
            <div className="day-divider" role="separator" aria-label={day}>
              <span>{day}</span>
            </div>
          )}
          {firstUnread && (
            <div className="new-divider" role="separator" aria-label="New messages">
              <span>New messages</span>
            </div>
          )}
          <MessageItem message={message} mine={message.author.id === me.id} current={message.seq === tabStop} startsRun={startsRun} />
        </Fragment>
      ))}
      {timeline.pending.map((pending) => (
        <PendingItem key={pending.clientId} pending={pending} authorName={me.name} />
      ))}
    </div>
    <p className="visually-hidden" aria-live="polite">
      {announcement}
    </p>
    {awayFrom !== undefined && (
      <button type="button" className="jump-latest" onClick={jumpToLatest}>
        Jump to latest{belowCount > 0 ? ` · ${belowCount} new ${belowCount === 1 ? 'message' : 'messages'} below` : ''}
      </button>
    )}
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
