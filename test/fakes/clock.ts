/** A fake platform's notion of time: real time plus an offset that tests move forward. */
export interface FakeClock {
  /** Epoch milliseconds as the fake sees them. */
  now(): number;
  /** Moves the fake's time forward, e.g. past a token's lifetime or a signature's window. */
  advance(ms: number): void;
}

/**
 * Creates a clock that runs at real speed, so rate-limit windows still expire while the client
 * libraries sleep on real timers, and that `advance` can push into the future.
 */
export function createFakeClock(): FakeClock {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new Error(`clock.advance needs a finite ms >= 0, got ${ms}`);
      offsetMs += ms;
    },
  };
}
