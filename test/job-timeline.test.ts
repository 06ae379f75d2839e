import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, startDiscordStack } from "./helpers/discord-stack.ts";
import { type CapturedLogs, captureLogs } from "./helpers/log-capture.ts";
import { spawnNpm } from "./helpers/spawn-app.ts";

let stack: DiscordStack;
let logs: CapturedLogs;
beforeAll(async () => {
  logs = captureLogs("replibot");
  stack = await startDiscordStack({ label: "job-timeline", logger: logs.logger });
});
afterAll(async () => {
  await stack?.close();
});

describe("npm run job -- <id>", () => {
  it("prints a job's timeline from Postgres merged with the log lines that name it, in order", async () => {
    const { interactionId } = stack.ask("tess", "Repeat exactly:\nTrace me.");
    const job = await stack.finished(interactionId);
    const logFile = join(tmpdir(), `replibot-${job.id}.ndjson`);
    writeFileSync(logFile, logs.lines.join(""));
    const run = spawnNpm(["run", "job", "--", job.id, "--logs", logFile], {
      DATABASE_URL: stack.database.url,
    });
    expect((await run.exited()).code).toBe(0);
    const lines = run
      .output()
      .split("\n")
      .filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    const order = [
      "queued: ask by",
      "held $",
      "running",
      "charged $",
      "succeeded",
      "final message written",
    ].map((what) => lines.findIndex((line) => line.includes(what)));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(lines.some((line) => line.includes(job.predictionId!) && line.includes("running"))).toBe(true);
    expect(lines.some((line) => line.includes("log ") && line.includes("job finished"))).toBe(true);
  });

  it("says so when there is no such job", async () => {
    const run = spawnNpm(["run", "job", "--", "discord-404"], { DATABASE_URL: stack.database.url });
    const exited = await run.exited();
    expect(exited.code).not.toBe(0);
    expect(run.stderr()).toContain("job: no job discord-404 in this database");
  });
});
