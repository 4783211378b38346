'use client'
import { describeStatus } from '@/app/_lib/live/status'
import { useChat } from './chat-provider'

export function StatusLine() {
  const { status } = useChat()
  return (
    <p role="status" className={`status status-${status.state}`} data-transport={status.transport}>
      <span className="status-dot" aria-hidden="true" />
      {describeStatus(status)}
    </p>
  )
}
