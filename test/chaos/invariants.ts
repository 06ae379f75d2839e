import { getJob, type JobRow } from "@replibot/db";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ChaosStack } from "./chaos-stack.ts";
import type { IssuedCommand } from "./workload.ts";

const terminal = ["succeeded", "failed", "canceled", "timed_out", "refused"];
/** How a final message that is not the answer reads (messages.ts): it says what happened. */
const endedWords = /\*{1,2}(Failed|Cancelled|Timed out)\*{1,2}|spend limit|Not charged|charged \$/i;

/** Waits until every command's job has its final message written, or fails naming the ones that hang. */
export async function waitForAllFinal(
  stack: ChaosStack,
  commands: IssuedCommand[],
  timeoutMs: number,
): Promise<JobRow[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = await Promise.all(commands.map((command) => getJob(stack.db, command.jobId)));
    const pending = commands.filter((_, index) => !jobs[index]?.finalWrittenAt);
    if (pending.length === 0) return jobs as JobRow[];
    if (Date.now() > deadline) {
      const states = pending.map((command) => {
        const job = jobs[commands.indexOf(command)];
        return `${command.jobId}: ${job ? `${job.status}${job.error ? ` (${job.error})` : ""}` : "no row"}`;
      });
      throw new Error(`${pending.length} commands never ended:\n${states.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Every message a member can see on a platform, by text. */
function visibleTexts(stack: ChaosStack, platform: IssuedCommand["platform"]): string[] {
  if (platform === "discord") {
    return stack.discordChannels.flatMap((channel) =>
      stack.discordFake.messages(channel).map((m) => m.content),
    );
  }
  return stack.slackChannels.flatMap((channel) => stack.slackFake.messages(channel).map((m) => m.text));
}

/** The text of a job's reply message as members see it now. */
function replyText(stack: ChaosStack, job: JobRow): string | undefined {
  const target = job.replyTarget as {
    platform: string;
    messageId?: string;
    channelId: string;
    messageTs?: string;
  };
  if (target.platform === "discord") return stack.discordFake.message(target.messageId ?? "")?.content;
  return stack.slackFake.messages(target.channelId).find((m) => m.ts === target.messageTs)?.text;
}

/**
 * The promises of DESIGN.md's "The job, end to end" and "Money", checked after a fault: every
 * command ended with exactly one terminal message a member can read; no job made two predictions
 * at Replicate; the ledger holds one entry per finished prediction and sums to each tenant's
 * spent total; no hold is left open.
 */
export async function assertInvariants(
  stack: ChaosStack,
  commands: IssuedCommand[],
  jobs: JobRow[],
): Promise<void> {
  const predictionsByJob = new Map<string, number>();
  for (const { prediction } of stack.emulator.control.predictions()) {
    const tag = /[?&]job=([^&]+)/.exec(String(prediction.webhook ?? ""))?.[1];
    if (tag)
      predictionsByJob.set(decodeURIComponent(tag), (predictionsByJob.get(decodeURIComponent(tag)) ?? 0) + 1);
  }
  for (const [index, command] of commands.entries()) {
    const job = jobs[index]!;
    expect(terminal, `${job.id} ended`).toContain(job.status);
    expect(predictionsByJob.get(job.id) ?? 0, `${job.id}: predictions at Replicate`).toBeLessThanOrEqual(1);
    const shown = replyText(stack, job) ?? "";
    expect(shown, `${job.id}: the reply is not left mid-stream`).not.toMatch(/▌|^Thinking…$/);
    if (job.status === "succeeded") {
      expect(shown, `${job.id}: the exact answer`).toContain(command.answer);
    } else {
      expect(shown, `${job.id}: says how it ended (${job.status})`).toMatch(endedWords);
    }
    const copies = visibleTexts(stack, command.platform).filter((text) =>
      text.includes(command.marker),
    ).length;
    expect(copies, `${job.id}: one message shows its answer`).toBeLessThanOrEqual(1);
  }
  const [ledger] = await stack.db.execute<{ entries: number; predictions: number }>(sql`
    select (select count(*)::int from ledger_entries) as entries,
           (select count(distinct prediction_id)::int from ledger_entries) as predictions`);
  expect(ledger!.entries, "one ledger entry per prediction").toBe(ledger!.predictions);
  const settledJobs = await stack.db.execute<{ n: number }>(sql`
    select count(*)::int as n from jobs
     where prediction_id is not null and status in ('succeeded', 'failed', 'canceled', 'timed_out')`);
  expect(ledger!.entries, "every finished prediction is in the ledger").toBe(settledJobs[0]!.n);
  const sums = await stack.db.execute<{ tenant_id: string; ledger: string; spent: string }>(sql`
    select b.tenant_id, coalesce((select sum(cost_nanos) from ledger_entries l
                                  where l.tenant_id = b.tenant_id and l.period = b.period), 0)::text as ledger,
           b.spent_nanos::text as spent
      from budgets b`);
  for (const row of sums) expect(row.ledger, `ledger sum of tenant ${row.tenant_id}`).toBe(row.spent);
  const [open] = await stack.db.execute<{ n: number }>(
    sql`select count(*)::int as n from holds where status = 'held'`,
  );
  expect(open!.n, "holds left open").toBe(0);
}

/** Every live webhooks process reports a healthy deployment again, by itself (heartbeats come every 10 s). */
export async function expectDeploymentHealthy(stack: ChaosStack): Promise<void> {
  const live = stack.webhooks.filter((w) => w.app.child.exitCode === null && w.app.child.signalCode === null);
  for (const process of live) {
    const deadline = Date.now() + 45_000;
    let health = await stack.health(process);
    while (health.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      health = await stack.health(process);
    }
    expect(health.status, health.body).toBe(200);
  }
}
