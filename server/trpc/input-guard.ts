import { unstorableText } from '../chat/storable-text.ts'

/** Deeper than this, an input is not one of ours: refused before any schema walks it. */
const MAX_DEPTH = 8
/** More values than this in one input (arrays, objects, strings…): refused. */
const MAX_NODES = 2_000

/**
 * Why a request's raw input cannot be taken (a sentence for the user), or undefined when it can:
 * text the database cannot store (a NUL character, a broken surrogate pair), or a shape no
 * procedure accepts (nested too deep, too many values). Checked for every procedure before its
 * schema, so none of it reaches the database.
 */
export function unacceptableInput(input: unknown): string | undefined {
  let nodes = 0
  const visit = (value: unknown, depth: number): string | undefined => {
    if (++nodes > MAX_NODES) return 'The request has too many values.'
    if (typeof value === 'string') return unstorableText(value)
    if (value === null || typeof value !== 'object') return undefined
    if (depth >= MAX_DEPTH) return 'The request is nested too deeply.'
    for (const [key, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
      const problem = (typeof key === 'string' ? unstorableText(key) : undefined) ?? visit(item, depth + 1)
      if (problem) return problem
    }
    return undefined
  }
  return visit(input, 0)
}
