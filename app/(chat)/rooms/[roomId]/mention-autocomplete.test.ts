import { describe, expect, it } from 'vitest'
import { insertMention, mentionQueryAt, mentionSuggestions } from './mention-autocomplete'

const members = [
  { id: '1', name: 'Ana Lopez' },
  { id: '2', name: 'anabel' },
  { id: '3', name: 'Ben' },
  { id: '4', name: 'Ben Okafor' },
  { id: '5', name: 'Okan' },
]

describe('mention autocomplete', () => {
  it('finds the @query before the caret, not inside an email or after a newline', () => {
    expect(mentionQueryAt('hi @an', 6)).toEqual({ start: 3, query: 'an' })
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' })
    expect(mentionQueryAt('mail ana@an', 11)).toBeUndefined()
    expect(mentionQueryAt('@ana\nthen', 9)).toBeUndefined()
  })

  it('suggests members whose name starts with it, any case, and inserts the full name', () => {
    expect(mentionSuggestions(members, 'AN').map((m) => m.name)).toEqual(['Ana Lopez', 'anabel'])
    expect(mentionSuggestions(members, 'ana l').map((m) => m.name)).toEqual(['Ana Lopez'])
    // Any word of a name: "@Oka" finds Ben Okafor, after the names that start with it.
    expect(mentionSuggestions(members, 'oka').map((m) => m.name)).toEqual(['Okan', 'Ben Okafor'])
    expect(mentionSuggestions(members, 'lop').map((m) => m.name)).toEqual(['Ana Lopez'])
    expect(mentionSuggestions(members, 'pez')).toEqual([])
    const at = mentionQueryAt('hi @an and more', 6)!
    expect(insertMention('hi @an and more', 6, at, members[0]!)).toEqual({ text: 'hi @Ana Lopez  and more', caret: 14 })
  })
})
