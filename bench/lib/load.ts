/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Fires `fire(i)` at a steady `ratePerSec` for `durationMs` (open loop: a slow answer does not slow the
 * arrivals, as users do not wait for each other), then waits for the stragglers up to `drainMs`.
 * Returns how many were fired and how many were still unfinished after the drain.
 */
export async function runAtRate(options: {
  ratePerSec: number;
  durationMs: number;
  drainMs: number;
  fire: (index: number) => Promise<void>;
}): Promise<{ fired: number; unfinished: number; spanMs: number }> {
  const total = Math.floor((options.ratePerSec * options.durationMs) / 1000);
  const started = performance.now();
  const pending = new Set<Promise<void>>();
  let fired = 0;
  while (fired < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) * options.ratePerSec) / 1000) + 1);
    for (; fired < due; fired++) {
      const p = options.fire(fired).catch(() => {});
      pending.add(p);
      void p.then(() => pending.delete(p));
    }
    await sleep(Math.max(1, Math.floor(1000 / options.ratePerSec / 2)));
  }
  const spanMs = performance.now() - started;
  await Promise.race([Promise.all(pending), sleep(options.drainMs)]);
  return { fired, unfinished: pending.size, spanMs };
}

/**
 * Keeps `concurrency` calls in flight (closed loop: a throughput ceiling) until `durationMs` has passed
 * or `maxCalls` were started; each call gets its index. Returns the calls completed and the span.
 */
export async function runClosedLoop(options: {
  concurrency: number;
  durationMs: number;
  maxCalls: number;
  call: (index: number) => Promise<void>;
}): Promise<{ completed: number; failed: number; spanMs: number }> {
  const started = performance.now();
  const deadline = started + options.durationMs;
  let next = 0;
  let completed = 0;
  let failed = 0;
  const lane = async () => {
    while (next < options.maxCalls && performance.now() < deadline) {
      const index = next++;
      try {
        await options.call(index);
        completed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, lane));
  return { completed, failed, spanMs: performance.now() - started };
}
