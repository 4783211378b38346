import { getErrorShape, getTRPCErrorFromUnknown } from '@trpc/server'
import type { ProcedureType } from '@trpc/server'
import { appRouter } from './root.ts'

/**
 * An error as tRPC's adapters send it (our errorFormatter included: field errors, and an internal
 * error replaced by a sentence and a reference). For the transports we serve ourselves: the
 * WebSocket requests and both events.stream transports.
 */
export function errorShape(cause: unknown, { type, path, input }: { type: ProcedureType | 'unknown'; path: string | undefined; input: unknown }) {
  return getErrorShape({ config: appRouter._def._config, error: getTRPCErrorFromUnknown(cause), type, path, input, ctx: undefined })
}

export type ErrorShape = ReturnType<typeof errorShape>
