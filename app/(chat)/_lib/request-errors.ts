import { TRPCClientError } from '@trpc/client'

export type RequestError = { code: string; message: string }

/** Refusals that asking again cannot change; anything else (network, 5xx, rate limit, session) may pass later. */
const PERMANENT_CODES = new Set([
  'BAD_REQUEST',
  'PARSE_ERROR',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_SUPPORTED',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNPROCESSABLE_CONTENT',
])

export function describeError(error: unknown): RequestError {
  if (error instanceof TRPCClientError) {
    const code = (error.data as { code?: string } | undefined)?.code ?? 'NETWORK'
    if (code === 'NETWORK') return networkError()
    // The server's sentence names a reference its log has beside the details (never the details themselves).
    if (code === 'INTERNAL_SERVER_ERROR') return { code, message: error.message || 'Something went wrong on the server. Try again.' }
    return { code, message: error.message }
  }
  return networkError()
}

export function isPermanent(error: RequestError): boolean {
  return PERMANENT_CODES.has(error.code)
}

function networkError(): RequestError {
  return { code: 'NETWORK', message: 'Could not reach the server. Check your connection and try again.' }
}
