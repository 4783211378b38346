/** Exponential backoff with jitter (half fixed, half random), so clients of a restarted server do not return in step. */
export function backoffDelay(attempt: number, { baseMs = 500, maxMs = 30_000 } = {}): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt))
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2))
}
