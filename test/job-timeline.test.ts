import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { JobRow } from "@replibot/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DiscordStack, eventually, startDiscordStack } from "./helpers/discord-stack.ts";
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

  it("names the job and, from its creation on, its prediction on every log line about it, in every process", async () => {
    const answered = await stack.finished(
      stack.ask("uma", "Repeat exactly:\nName my prediction.").interactionId,
    );
    // A second job, cancelled while it streams: the cancel and its completion log too.
    const { interactionId } = stack.ask(
      "vic",
      "Repeat exactly 40 times:\nA long answer that takes a while. ",
    );
    const streaming = await eventually(() => {
      const message = stack.fake.interactionResponse(interactionId)?.original;
      return message && message.components.length > 0 && message.content.length > 20 ? message : undefined;
    });
    stack.fake.pressButton({
      messageId: streaming.id,
      customId: `cancel:discord-${interactionId}`,
      userId: stack.member("vic"),
    });
    const cancelled = await stack.finished(interactionId);
    expect(cancelled.status).toBe("canceled");

    const linesAbout = (job: JobRow) =>
      logs.lines
        .filter((line) => line.includes(job.id))
        .map((line) => JSON.parse(line) as { msg: string; jobId?: string; predictionId?: string });
    for (const job of [answered, cancelled]) {
      const about = linesAbout(job);
      const created = about.findIndex((line) => line.msg === "prediction created");
      expect(created, `no "prediction created" line for ${job.id}`).toBeGreaterThanOrEqual(0);
      const after = about.slice(created);
      expect(after.map((line) => line.msg)).toContain("job finished");
      expect(after.map((line) => line.msg)).toContain("webhook: completion enqueued");
      expect(after.filter((line) => line.jobId !== job.id || line.predictionId !== job.predictionId)).toEqual(
        [],
      );
    }
    expect(linesAbout(cancelled).map((line) => line.msg)).toContain("cancelling the prediction");
  });

  it("says so when there is no such job", async () => {
    const run = spawnNpm(["run", "job", "--", "discord-404"], { DATABASE_URL: stack.database.url });
    const exited = await run.exited();
    expect(exited.code).not.toBe(0);
    expect(run.stderr()).toContain("job: no job discord-404 in this database");
  });
});
