/** A movable clock: real time plus an offset that tests can advance. */
export interface Clock {
  /** Emulated epoch milliseconds: real time plus the offset. */
  now(): number;
  /** Moves the clock forward and fires every timer that is now due, in due order. */
  advance(ms: number): void;
  /** The current offset from real time, in ms. */
  offsetMs(): number;
  /** Runs `fn` once the emulated time has moved `ms` forward; returns a function that cancels it. */
  setTimer(ms: number, fn: () => void): () => void;
  /** Resolves after `ms` of emulated time; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Sets the offset back to zero (pending timers keep their emulated due times). */
  resetOffset(): void;
  /** Cancels every pending timer. */
  dispose(): void;
}

interface PendingTimer {
  dueMs: number;
  fn: () => void;
  handle: ReturnType<typeof setTimeout> | undefined;
}

// setTimeout overflows above 2^31-1 ms; longer waits re-arm when they wake.
const maxRealDelayMs = 2_147_483_647;

/** Creates a clock whose timers fire on real time or when `advance` moves past them. */
export function createClock(): Clock {
  let offset = 0;
  let nextId = 0;
  const timers = new Map<number, PendingTimer>();
  const now = () => Date.now() + offset;

  const fire = (id: number) => {
    const timer = timers.get(id);
    if (!timer) return;
    timers.delete(id);
    if (timer.handle) clearTimeout(timer.handle);
    timer.fn();
  };

  const arm = (id: number, timer: PendingTimer) => {
    if (timer.handle) clearTimeout(timer.handle);
    const delay = Math.min(Math.max(0, timer.dueMs - now()), maxRealDelayMs);
    timer.handle = setTimeout(() => {
      if (timer.dueMs <= now()) fire(id);
      else arm(id, timer);
    }, delay);
  };

  const setTimer = (ms: number, fn: () => void) => {
    const id = nextId++;
    const timer: PendingTimer = { dueMs: now() + Math.max(0, ms), fn, handle: undefined };
    timers.set(id, timer);
    arm(id, timer);
    return () => {
      const pending = timers.get(id);
      if (pending?.handle) clearTimeout(pending.handle);
      timers.delete(id);
    };
  };

  return {
    now,
    offsetMs: () => offset,
    setTimer,
    advance(ms) {
      offset += Math.max(0, ms);
      const due = [...timers.entries()]
        .filter(([, timer]) => timer.dueMs <= now())
        .sort((a, b) => a[1].dueMs - b[1].dueMs);
      for (const [id] of due) fire(id);
      for (const [id, timer] of timers) arm(id, timer);
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(signal.reason);
          return;
        }
        const onAbort = () => {
          cancel();
          reject(signal?.reason);
        };
        const cancel = setTimer(ms, () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        });
        signal?.addEventListener("abort", onAbort, { once: true });
      });
    },
    resetOffset() {
      offset = 0;
      for (const [id, timer] of timers) arm(id, timer);
    },
    dispose() {
      for (const timer of timers.values()) if (timer.handle) clearTimeout(timer.handle);
      timers.clear();
    },
  };
}
