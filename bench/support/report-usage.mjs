// Preloaded into every benchmarked server (`node --import ./bench/support/report-usage.mjs …`), so
// the app itself carries no benchmark code: answers the benchmark over the IPC channel with the
// server's own process.cpuUsage() and memory (after a forced GC when asked; needs --expose-gc),
// profiles the CPU between a `profile` start and stop (BENCH_CPU_PROF: one timed step only), and
// writes a heap snapshot when asked (BENCH_HEAP_SNAPSHOTS: what idle connections hold).
import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector'
import { writeHeapSnapshot } from 'node:v8'

if (process.send) {
  process.channel?.unref() // the benchmark's channel must not keep a stopping server alive
  let profiler
  process.on('message', (request) => {
    if (request?.type === 'usage') return reportUsage(request)
    if (request?.type === 'profile') return request.writeTo ? stopProfile(request) : startProfile(request)
    if (request?.type === 'heap-snapshot') {
      writeHeapSnapshot(request.writeTo)
      process.send({ type: 'heap-snapshot', id: request.id })
    }
  })

  function reportUsage(request) {
    if (request.gc && globalThis.gc) {
      // Twice: the first pass can leave garbage that only a second finds (weak references, finalizers).
      globalThis.gc()
      globalThis.gc()
    }
    const cpu = process.cpuUsage()
    const memory = process.memoryUsage()
    process.send({ type: 'usage', id: request.id, atMs: performance.now(), cpuMicros: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss })
  }

  function startProfile(request) {
    profiler = new Session()
    profiler.connect()
    profiler.post('Profiler.enable', () => profiler.post('Profiler.start', () => process.send({ type: 'profile', id: request.id })))
  }

  function stopProfile(request) {
    profiler.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(request.writeTo, JSON.stringify(result.profile))
      profiler.disconnect()
      process.send({ type: 'profile', id: request.id })
    })
  }
}
