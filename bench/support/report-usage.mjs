// Preloaded into every benchmarked server (`node --import ./bench/support/report-usage.mjs …`), so
// the app itself carries no benchmark code: answers the benchmark over the IPC channel with the
// server's own process.cpuUsage() and memory (after a forced GC when asked; needs --expose-gc).
if (process.send) {
  process.channel?.unref() // the benchmark's channel must not keep a stopping server alive
  process.on('message', (request) => {
    if (request?.type !== 'usage') return
    if (request.gc && globalThis.gc) {
      // Twice: the first pass can leave garbage that only a second finds (weak references, finalizers).
      globalThis.gc()
      globalThis.gc()
    }
    const cpu = process.cpuUsage()
    const memory = process.memoryUsage()
    process.send({ type: 'usage', id: request.id, atMs: performance.now(), cpuMicros: cpu.user + cpu.system, heapUsed: memory.heapUsed, rss: memory.rss })
  })
}
