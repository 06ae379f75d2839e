import { AppError } from "@replibot/core";

/** Replicate refuses deadlines shorter than this. */
export const MIN_DEADLINE_MS = 5_000;

/**
 * A deadline as the `Cancel-After` header value, in whole seconds rounded up ("120s"). Replicate
 * measures it from creation: a prediction still starting then ends `aborted`, a running one `canceled`.
 */
export function formatCancelAfter(deadlineMs: number): string {
  if (!Number.isFinite(deadlineMs) || deadlineMs < MIN_DEADLINE_MS) {
    throw new AppError(
      "invalid_input",
      `a deadline must be at least ${MIN_DEADLINE_MS} ms, got ${deadlineMs}`,
    );
  }
  return `${Math.ceil(deadlineMs / 1000)}s`;
}
