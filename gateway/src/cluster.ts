import cluster, { Worker } from 'node:cluster';

/** How long the primary waits for its workers' graceful stop (they flush queued scan records) before it kills them. */
const STOP_GRACE_MS = 40_000;

/**
 * Runs `workers` copies of the gateway behind this process, which hands each new connection to a worker in turn
 * (Node's cluster, round-robin); they share one PostgreSQL replica (one follows blocks). A worker that dies takes
 * the primary with it (its exit code passed on) so the supervisor restarts the whole; SIGTERM and SIGINT are
 * passed on, and the primary exits when every worker has stopped.
 */
export function runPrimary(workers: number): void {
  const running = new Set<Worker>();
  let stopping = false;
  let exitCode = 0;
  for (let i = 0; i < workers; i++) running.add(cluster.fork());
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of running) worker.process.kill(signal);
    setTimeout(() => {
      for (const worker of running) worker.process.kill('SIGKILL');
    }, STOP_GRACE_MS).unref();
  };
  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    if (!stopping) {
      console.error(`DrugTrace gateway worker ${worker.process.pid} exited (${signal ?? code}); stopping`);
      exitCode = code || 1;
      stop('SIGTERM');
    }
    if (running.size === 0) process.exit(exitCode);
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
