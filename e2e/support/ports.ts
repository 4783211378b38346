/** E2E_PORT_BASE moves every port of a run, so two checkouts can run their browser tests at once. */
const base = Number(process.env.E2E_PORT_BASE ?? 3100)

/** The app under test. */
export const APP_PORT = base
/** nginx in front of it, dropping Upgrade (WebSocket cannot pass). */
export const RESTRICTIVE_PROXY_PORT = base + 1
/** nginx in front of it, passing WebSocket through as a well-configured proxy does. */
export const FRIENDLY_PROXY_PORT = base + 2
/** The app's Prometheus metrics (METRICS_PORT), where tests count connections as the server sees them. */
export const METRICS_PORT = base + 3
/** A second instance that a test may stop and start. */
export const RESTARTABLE_APP_PORT = base + 10

export const PROXY_ORIGINS = [RESTRICTIVE_PROXY_PORT, FRIENDLY_PROXY_PORT].flatMap((port) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`])

/** The scale-out tests: a Redis of their own, nginx (deploy/nginx/relay.conf), then the instances. */
export const SCALE_OUT_PORTS = {
  redis: base + 20,
  loadBalancer: base + 21,
  restrictiveProxy: base + 22,
  instances: [base + 23, base + 24, base + 25],
}

/** A port nothing listens on now (runs that start servers of their own, beside Playwright's). */
export { freePort } from '../../server/testing/redis-server.ts'
