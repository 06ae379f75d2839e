import { describe, expect, it } from "vitest";
import { percentFromLogs, progressLine } from "./progress.ts";

describe("progress from logs", () => {
  it("reads the last tqdm percentage", () => {
    const logs =
      "Using seed: 7\n  0%|          | 0/4 [00:00<?, ?it/s]\n 50%|█████     | 2/4 [00:00<00:00, 9.1it/s]\n";
    expect(percentFromLogs(logs)).toBe(50);
    expect(percentFromLogs("no progress here")).toBeUndefined();
    expect(percentFromLogs(null)).toBeUndefined();
  });

  it("says the model is starting during a cold start, then the percentage", () => {
    expect(progressLine({ id: "p", status: "starting" }, "Drawing")).toMatch(/^The model is starting/);
    expect(progressLine({ id: "p", status: "processing", logs: " 75%|███ | 3/4 [" }, "Drawing")).toBe(
      "Drawing… 75%",
    );
    expect(progressLine({ id: "p", status: "processing", logs: "" }, "Drawing")).toBe("Drawing…");
  });
});
