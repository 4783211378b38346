'use client'
import { describeDetails, describeStatus } from '@/app/_lib/live/status'
import { useDisclosure } from '../_lib/use-disclosure'
import { useChat } from './chat-provider'

/** The top bar's short form on a narrow screen (the full line is in the drawer): a dot and the words. */
export function CompactStatus() {
  const { status } = useChat()
  return (
    <span className={`status compact-status status-${status.state}`}>
      <span className="status-dot" aria-hidden="true" />
      {describeStatus(status)}
    </span>
  )
}

/** Which transport is live, and on request why, and how many tabs share it. */
export function StatusLine() {
  const { status } = useChat()
  const { open, setOpen, toggle, closeOnEscape } = useDisclosure()
  return (
    <div className="status-line" onKeyDown={closeOnEscape}>
      <p role="status" className={`status status-${status.state}`} data-transport={status.transport} data-tabs={status.tabs}>
        <span className="status-dot" aria-hidden="true" />
        {describeStatus(status)}
      </p>
      <button ref={toggle} type="button" className="status-toggle" aria-expanded={open} aria-controls="connection-details" onClick={() => setOpen(!open)}>
        Details
      </button>
      <div
        id="connection-details"
        className="status-details"
        role="region"
        aria-label="Connection details"
        hidden={!open}
      >
        {describeDetails(status).map((line) => (
          <p key={line}>{line}</p>
        ))}
      </div>
    </div>
  )
}
