import { describe, expect, it } from "vitest";
import { MAX_RUN_PRIORITY, runPriority } from "./enqueue-run.ts";

describe("runPriority", () => {
  it("is the backlog position, so each tenant's n-th waiting job gets priority n", () => {
    expect([1, 2, 3, 500].map(runPriority)).toEqual([1, 2, 3, 500]);
  });

  it("is at least 1: BullMQ reads priority 0 as no priority, which would jump every tenant's queue", () => {
    expect(runPriority(0)).toBe(1);
    expect(runPriority(-3)).toBe(1);
  });

  it("stops at BullMQ's limit, which refuses anything larger", () => {
    expect(MAX_RUN_PRIORITY).toBe(2_097_151);
    expect(runPriority(MAX_RUN_PRIORITY)).toBe(MAX_RUN_PRIORITY);
    expect(runPriority(10_000_000)).toBe(MAX_RUN_PRIORITY);
  });
});
