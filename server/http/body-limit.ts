/** Largest HTTP request body accepted by the API routes (a full batch of maximum-size messages fits). */
export const MAX_REQUEST_BODY_BYTES = 512 * 1024

/**
 * Returns the request with its body read into memory, or a 413 response once the body passes
 * `maxBytes`: it stops reading at the limit whatever Content-Length claims.
 */
export async function withBodyLimit(req: Request, maxBytes = MAX_REQUEST_BODY_BYTES): Promise<Request | Response> {
  if (!req.body) return req
  const tooLarge = () =>
    Response.json({ error: { message: `Request body is larger than ${maxBytes} bytes.`, code: 'PAYLOAD_TOO_LARGE' } }, { status: 413 })
  const declared = Number(req.headers.get('content-length') ?? 0)
  if (declared > maxBytes) return tooLarge()
  const reader = req.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    size += chunk.value.byteLength
    if (size > maxBytes) {
      await reader.cancel()
      return tooLarge()
    }
    chunks.push(chunk.value)
  }
  return new Request(req, { body: Buffer.concat(chunks) })
}
