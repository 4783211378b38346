import { z } from 'zod'

const commaList = z
  .string()
  .optional()
  .transform((value) => (value ?? '').split(',').map((item) => item.trim()).filter(Boolean))

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback)

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL (leave unset for the embedded database)')
    .optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  // Set on every instance when several run behind a load balancer: live events cross instances by Redis pub/sub.
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL (leave unset for a single instance)')
    .optional(),
  REDIS_CHANNEL_PREFIX: z.string().min(1).max(100).default('relay:'),
  PUBLIC_URL: z.url().optional(),
  ALLOWED_ORIGINS: commaList.pipe(z.array(z.url({ message: 'each entry must be an origin such as https://chat.example.com' }))),
  BETTER_AUTH_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  AUTH_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  // Limits that keep one client from stalling the instance (README: Limits).
  REQUESTS_PER_SECOND_PER_CONNECTION: positiveInt(30),
  REQUESTS_PER_SECOND_PER_USER: positiveInt(60),
  REQUESTS_PER_SECOND_PER_ADDRESS: positiveInt(200),
  PENDING_REQUESTS_PER_CONNECTION: positiveInt(32),
  REFUSALS_BEFORE_CLOSE: positiveInt(100),
  CONNECTIONS_PER_USER: positiveInt(20),
  SUBSCRIBER_QUEUE_KB: positiveInt(1024),
  SHED_EVENT_LOOP_DELAY_MS: positiveInt(100),
  SHED_REQUESTS_WAITING: positiveInt(200),
  REQUESTS_RUNNING_PER_USER: positiveInt(1),
  BACKLOG_EVENTS_PER_SECOND_PER_USER: positiveInt(1000),
  // Prometheus metrics on a port of their own (unset: not served), on loopback unless told otherwise.
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  // Server log lines: the lowest level written, and readable text or one JSON object per line.
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
  LOG_FORMAT: z.enum(['text', 'json']).default('text'),
  // Behind a reverse proxy that sets X-Forwarded-For: trust it for client addresses (rate limits).
  TRUST_PROXY: z
    .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
    .default('false')
    .transform((value) => value === 'true' || value === '1'),
}).superRefine((config, context) => {
  if (!config.REDIS_URL) return
  // Several instances share one database and must accept each other's session cookies.
  if (!config.DATABASE_URL) {
    context.addIssue({ code: 'custom', path: ['REDIS_URL'], message: 'needs DATABASE_URL: instances must share one PostgreSQL database' })
  }
  if (!config.BETTER_AUTH_SECRET) {
    context.addIssue({ code: 'custom', path: ['BETTER_AUTH_SECRET'], message: 'must be set, the same on every instance, when REDIS_URL is set' })
  }
})

export type Env = z.infer<typeof envSchema>

export function parseEnv(source: Record<string, string | undefined>): Env {
  // `NAME=` in a .env file or a shell means unset, not an empty value.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ''))
  const parsed = envSchema.safeParse(present)
  if (parsed.success) return parsed.data
  const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n')
  throw new Error(`Invalid environment configuration:\n${problems}\nSee .env.example for every variable.`)
}

let cached: Env | undefined

/** Every environment variable, parsed once. A bad value fails at start with the variable's name. */
export function env(): Env {
  cached ??= parseEnv(process.env)
  return cached
}
