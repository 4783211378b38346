import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { APIError, betterAuth } from 'better-auth'
import { prismaAdapter } from 'better-auth/adapters/prisma'
import { db } from './db/client.ts'
import { env } from './env.ts'
import { trustedOrigins } from './http/origin.ts'
import { processWide } from './process-wide.ts'
import { PASSWORD_MAX, PASSWORD_MIN, USER_NAME_MAX } from './chat/limits.ts'

function createAuth(secureCookies: boolean) {
  const config = env()
  return betterAuth({
    appName: 'Relay',
    secret: config.BETTER_AUTH_SECRET ?? localSecret(config.DATA_DIR),
    // Without PUBLIC_URL the app answers on whatever host it is reached by (localhost, a proxy).
    baseURL: config.PUBLIC_URL ?? { allowedHosts: ['*'], protocol: 'auto' },
    trustedOrigins: (request) => [requestOrigin(request), ...trustedOrigins(config)],
    database: prismaAdapter(db(), { provider: 'postgresql' }),
    emailAndPassword: { enabled: true, minPasswordLength: PASSWORD_MIN, maxPasswordLength: PASSWORD_MAX, autoSignIn: true },
    // The signed cookie cache spares a database read per request; a revoked session lives ≤ 60 s.
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24, cookieCache: { enabled: true, maxAge: 60 } },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 300,
      customRules: {
        '/sign-in/email': { window: 60, max: config.AUTH_RATE_LIMIT_PER_MINUTE },
        '/sign-up/email': { window: 60, max: config.AUTH_RATE_LIMIT_PER_MINUTE },
      },
    },
    databaseHooks: {
      user: {
        create: {
          before: async (user) => {
            const name = user.name.trim()
            if (name.length < 1 || name.length > USER_NAME_MAX) {
              throw new APIError('BAD_REQUEST', { message: `Name must be 1 to ${USER_NAME_MAX} characters.` })
            }
            return { data: { ...user, name } }
          },
        },
      },
    },
    // Secure cookies only where the browser keeps them: over https (plain http on a LAN address would drop them).
    advanced: { useSecureCookies: secureCookies },
    telemetry: { enabled: false },
  })
}

export type Auth = ReturnType<typeof createAuth>

/**
 * Whether session cookies are Secure: PUBLIC_URL decides when it is set; otherwise each request,
 * by whether it reached a trusted proxy over https (X-Forwarded-Proto, which the server drops
 * unless TRUST_PROXY is set).
 */
export type CookieMode = 'secure' | 'plain' | 'by request'

export function cookieMode({ PUBLIC_URL }: { PUBLIC_URL?: string | undefined }): CookieMode {
  if (!PUBLIC_URL) return 'by request'
  return PUBLIC_URL.startsWith('https:') ? 'secure' : 'plain'
}

/** The start-up log line that says which cookies the instance sets, and why. */
export function describeCookieMode(config: { PUBLIC_URL?: string | undefined; TRUST_PROXY: boolean }): string {
  const mode = cookieMode(config)
  if (mode === 'secure') return 'session cookies are Secure (PUBLIC_URL is https)'
  if (mode === 'plain') return 'session cookies are not Secure (PUBLIC_URL is http): set an https PUBLIC_URL once TLS is in front'
  return config.TRUST_PROXY
    ? 'session cookies are Secure on requests the proxy says came over https (X-Forwarded-Proto), plain on http; set PUBLIC_URL to fix one'
    : 'session cookies are not Secure: this instance serves plain http (set PUBLIC_URL=https://… or TRUST_PROXY=true behind a TLS proxy)'
}

/** The Better Auth instance for a request's cookies (created on first use, once the database is open). */
export function authFor(headers: Headers): Auth {
  return processWide(isSecureRequest(headers) ? 'auth:secure' : 'auth:plain', () => createAuth(isSecureRequest(headers)))
}

function isSecureRequest(headers: Headers): boolean {
  const mode = cookieMode(env())
  if (mode !== 'by request') return mode === 'secure'
  return headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https'
}

export type SessionUser = { id: string; name: string; email: string }

/**
 * The signed-in user behind a request's cookies, or null. `fresh` reads the session from the
 * database rather than the signed cookie cache (to notice a sign-out elsewhere at once).
 */
export async function sessionUser(headers: Headers, { fresh = false } = {}): Promise<SessionUser | null> {
  const session = await authFor(headers).api.getSession({ headers, query: { disableCookieCache: fresh } })
  if (!session) return null
  return { id: session.user.id, name: session.user.name, email: session.user.email }
}

function requestOrigin(request: Request | undefined): string | undefined {
  const host = request?.headers.get('host')
  if (!host) return undefined
  const protocol = request?.headers.get('x-forwarded-proto') ?? new URL(request!.url).protocol.replace(':', '')
  return `${protocol}://${host}`
}

/** A secret generated on first start and kept in the data directory, for zero-config installs. */
function localSecret(dataDir: string): string {
  const file = path.resolve(dataDir, 'auth-secret')
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    mkdirSync(path.dirname(file), { recursive: true })
    const secret = randomBytes(32).toString('base64url')
    try {
      writeFileSync(file, secret, { mode: 0o600, flag: 'wx' })
      return secret
    } catch {
      return readFileSync(file, 'utf8').trim() // another process wrote it first
    }
  }
}
