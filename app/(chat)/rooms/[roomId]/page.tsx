import { notFound } from 'next/navigation'
import { roomIdInput } from '@/server/chat/room-id'
import { RoomView } from './room-view'

export default async function RoomPage({ params }: { params: Promise<{ roomId: string }> }) {
  const { roomId } = await params
  // A mistyped or truncated link: the app's own "not found" page, not a validation dump.
  if (!roomIdInput.safeParse({ roomId }).success) notFound()
  return <RoomView key={roomId} roomId={roomId} />
}
