'use client'
import { useCallback, useSyncExternalStore } from 'react'
import type { Timeline } from '../../_lib/timeline-store'
import { useChat } from '../../_components/chat-provider'

export function useTimeline(roomId: string): Timeline {
  const { store } = useChat()
  const subscribe = useCallback((listener: () => void) => store.subscribe(roomId, listener), [store, roomId])
  const snapshot = useCallback(() => store.get(roomId), [store, roomId])
  return useSyncExternalStore(subscribe, snapshot, snapshot)
}
