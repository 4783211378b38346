import { describe, expect, it } from 'vitest'
import { formatLogLine } from './log.ts'

describe('log lines', () => {
  it('are readable by default: scope, sentence, then fields; an error brings its stack', () => {
    const error = new Error('connect ECONNREFUSED')
    const line = formatLogLine('text', 'error', 'bus', 'Redis unreachable; retrying', { role: 'publish', unpublished: 3, error })
    expect(line.split('\n')[0]).toBe('[bus] Redis unreachable; retrying role=publish unpublished=3 error="connect ECONNREFUSED"')
    expect(line).toContain('log.test.ts')
  })

  it('are one JSON object each with LOG_FORMAT=json, with level, scope, time and fields', () => {
    const parsed = JSON.parse(formatLogLine('json', 'warn', 'db', 'a migration was edited', { migration: '2026_x', error: new Error('checksum') }))
    expect(parsed).toMatchObject({ level: 'warn', scope: 'db', msg: 'a migration was edited', migration: '2026_x', error: { name: 'Error', message: 'checksum' } })
    expect(Number.isNaN(Date.parse(parsed.time))).toBe(false)
  })

  it('never carry a URL’s user or password, in the sentence, a field or an error', () => {
    const secret = 'redis://default:s3cret@redis.internal:6379'
    for (const format of ['text', 'json'] as const) {
      const line = formatLogLine(format, 'error', 'bus', `cannot reach ${secret}`, { url: 'postgresql://relay:pa55@db/relay', error: new Error(`lost ${secret}`) })
      expect(line).not.toMatch(/s3cret|pa55|default:|relay:pa/)
      expect(line).toContain('redis://***@redis.internal:6379')
    }
  })
})
