export type ChatErrorCode = 'NOT_FOUND' | 'FORBIDDEN' | 'CONFLICT'

/** A domain error with a sentence the user can act on; the tRPC layer maps the code. */
export class ChatError extends Error {
  constructor(
    readonly code: ChatErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'ChatError'
  }
}
