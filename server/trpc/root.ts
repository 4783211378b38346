import { createCallerFactory, router } from './init.ts'
import { eventsRouter } from './routers/events.ts'
import { messageRouter } from './routers/message.ts'
import { roomRouter } from './routers/room.ts'

export const appRouter = router({
  room: roomRouter,
  message: messageRouter,
  events: eventsRouter,
})

export type AppRouter = typeof appRouter

export const createCaller = createCallerFactory(appRouter)
