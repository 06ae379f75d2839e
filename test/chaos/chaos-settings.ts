/** The time windows a fault run depends on: short for CI, long for a soak (`npm run chaos -- --soak`). */
export interface ChaosWindows {
  /** Commands issued per fault, across the two tenants, each from its own member. */
  jobsPerRun: number;
  /** How long each fault lasts. */
  outageMs: number;
  /** When Replicate retries a webhook that failed (its retry window is their sum). */
  webhookRetryScheduleMs: number[];
  /** The reconciler's sweep, and how quiet a job must be before it looks. */
  reconcileEveryMs: number;
  staleAfterMs: number;
  /** BullMQ's lock (and stall check): a killed worker's jobs are taken again after it. */
  queueLockMs: number;
  /** The emulator's LLM speed: slow enough that faults land mid-stream. */
  tokensPerSecond: number;
  /** How long every job may take to end after a fault ends. */
  settleMs: number;
}

const short: ChaosWindows = {
  jobsPerRun: 20,
  outageMs: 3_000,
  webhookRetryScheduleMs: [200, 500, 1_000],
  reconcileEveryMs: 1_000,
  staleAfterMs: 3_000,
  queueLockMs: 4_000,
  tokensPerSecond: 40,
  // Past the reconciler's 2-minute grace for a job whose app never posted its placeholder (a Slack post
  // that failed for good under injected 500s and 429s): that job is rescued, not lost, after 120 s.
  settleMs: 150_000,
};

const soak: ChaosWindows = {
  jobsPerRun: 60,
  outageMs: 30_000,
  webhookRetryScheduleMs: [1_000, 5_000, 15_000, 30_000],
  reconcileEveryMs: 5_000,
  staleAfterMs: 20_000,
  queueLockMs: 30_000,
  tokensPerSecond: 15,
  settleMs: 600_000,
};

/** The windows of this run: CHAOS_SOAK=1 (set by `npm run chaos -- --soak`) for the long ones. */
export const chaosWindows: ChaosWindows = process.env.CHAOS_SOAK === "1" ? soak : short;
