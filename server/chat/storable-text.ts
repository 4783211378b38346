// Text PostgreSQL cannot store: a NUL character, and half of a UTF-16 surrogate pair (not text at all).
const NUL = /\u0000/g
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Why this text cannot be stored (a sentence for the person), or undefined when it can. */
export function unstorableText(text: string): string | undefined {
  if (text.includes('\u0000')) return 'Text cannot contain NUL characters.'
  LONE_SURROGATE.lastIndex = 0
  if (LONE_SURROGATE.test(text)) return 'Text contains a broken character (half of a surrogate pair).'
  return undefined
}

/** The text with what cannot be stored taken out (NUL) or replaced (a broken character becomes �): pasted text still sends. */
export function storableText(text: string): string {
  return text.replace(NUL, '').replace(LONE_SURROGATE, '\uFFFD')
}
