import { env } from './env.ts'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
/** What a line says beside its sentence: ids, counts, durations, the error. Never a credential. */
export type LogFields = Record<string, unknown>

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export type Logger = Record<LogLevel, (message: string, fields?: LogFields) => void>

/**
 * The server's logger: one line per event, with a level, a scope (`bus`, `ws`, `db`…), a sentence
 * and fields. `LOG_FORMAT=json` writes one JSON object per line for a log collector; the default
 * is a readable line (`[bus] Redis unreachable; retrying role=publish`). `LOG_LEVEL` drops the
 * lines below it. A URL's user and password are masked wherever they appear.
 */
export function logger(scope: string): Logger {
  const at = (level: LogLevel) => (message: string, fields?: LogFields) => write(level, scope, message, fields)
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}

function write(level: LogLevel, scope: string, message: string, fields: LogFields = {}): void {
  const { LOG_LEVEL, LOG_FORMAT } = env()
  if (RANK[level] < RANK[LOG_LEVEL]) return
  const line = formatLogLine(LOG_FORMAT, level, scope, message, fields)
  if (level === 'error' || level === 'warn') process.stderr.write(`${line}\n`)
  else process.stdout.write(`${line}\n`)
}

/** One log line, credentials masked: readable text, or one JSON object. */
export function formatLogLine(format: 'text' | 'json', level: LogLevel, scope: string, message: string, fields: LogFields = {}): string {
  return maskCredentials(format === 'json' ? jsonLine(level, scope, message, fields) : textLine(scope, message, fields))
}

function jsonLine(level: LogLevel, scope: string, message: string, fields: LogFields): string {
  const plain = Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, value instanceof Error ? errorFields(value) : value]))
  return JSON.stringify({ time: new Date().toISOString(), level, scope, msg: message, ...plain })
}

function textLine(scope: string, message: string, fields: LogFields): string {
  const parts = [`[${scope}] ${message}`]
  let stack = ''
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    if (value instanceof Error) {
      parts.push(`${key}=${JSON.stringify(value.message)}`)
      stack = `\n${value.stack ?? ''}${value.cause ? `\ncaused by: ${String((value.cause as Error).stack ?? value.cause)}` : ''}`
    } else parts.push(`${key}=${typeof value === 'string' && !/\s/.test(value) ? value : JSON.stringify(value)}`)
  }
  return parts.join(' ') + stack
}

function errorFields(error: Error): LogFields {
  return { name: error.name, message: error.message, stack: error.stack, cause: error.cause instanceof Error ? errorFields(error.cause) : error.cause }
}

/** `scheme://user:password@host` → `scheme://***@host`, wherever it appears in a line. */
function maskCredentials(line: string): string {
  return line.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/\s:@"]*(?::[^/\s@"]*)?@/gi, '$1***@')
}
