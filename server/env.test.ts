import { describe, expect, it } from 'vitest'
import { parseEnv } from './env.ts'

const secret = 'a-secret-that-is-at-least-32-characters-long'

describe('environment', () => {
  it('runs one instance on the embedded database and the in-process bus with nothing set', () => {
    const config = parseEnv({})
    expect(config.DATABASE_URL).toBeUndefined()
    expect(config.REDIS_URL).toBeUndefined()
    expect(config.REDIS_CHANNEL_PREFIX).toBe('relay:')
  })

  it('accepts several instances: PostgreSQL, Redis and a shared secret', () => {
    const config = parseEnv({ DATABASE_URL: 'postgresql://db/relay', REDIS_URL: 'redis://cache:6379', BETTER_AUTH_SECRET: secret })
    expect(config.REDIS_URL).toBe('redis://cache:6379')
  })

  it('refuses REDIS_URL without a shared database or a shared secret, naming the variable', () => {
    expect(() => parseEnv({ REDIS_URL: 'redis://cache:6379', BETTER_AUTH_SECRET: secret })).toThrow(/REDIS_URL: needs DATABASE_URL/)
    expect(() => parseEnv({ REDIS_URL: 'redis://cache:6379', DATABASE_URL: 'postgresql://db/relay' })).toThrow(/BETTER_AUTH_SECRET: must be set, the same on every instance/)
    expect(() => parseEnv({ REDIS_URL: 'http://cache', DATABASE_URL: 'postgresql://db/relay', BETTER_AUTH_SECRET: secret })).toThrow(/REDIS_URL: must be a redis:\/\//)
  })

  it('treats an empty value as unset', () => {
    expect(parseEnv({ REDIS_URL: '', DATABASE_URL: '' }).REDIS_URL).toBeUndefined()
  })
})
