import { readFileSync } from "node:fs";
import { formatUsd } from "@replibot/core";
import type { Database } from "@replibot/db";
import { getJob, holds, ledgerEntries } from "@replibot/db";
import { eq } from "drizzle-orm";

/** One moment of a job's life, from Postgres or from a log line. */
export interface TimelineEvent {
  at: Date;
  source: string;
  what: string;
}

/** Log lines (pino JSON, one per line) that name the job or its prediction. */
function logEvents(files: string[], jobId: string, predictionId: string | null): TimelineEvent[] {
  const events: TimelineEvent[] = [];
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.includes(jobId) && !(predictionId && line.includes(predictionId))) continue;
      try {
        const entry = JSON.parse(line) as { time?: number; name?: string; msg?: string; level?: number };
        events.push({
          at: new Date(entry.time ?? 0),
          source: `log ${entry.name ?? file}`,
          what: entry.msg ?? line,
        });
      } catch {
        // Not a JSON log line (npm's own output, say): nothing to place on the timeline.
      }
    }
  }
  return events;
}

/** A job's story, oldest first: its row, its hold, its charge, and the log lines that mention it. */
export async function jobTimeline(
  db: Database,
  jobId: string,
  logFiles: string[] = [],
): Promise<TimelineEvent[] | undefined> {
  const job = await getJob(db, jobId);
  if (!job) return undefined;
  const events: TimelineEvent[] = [
    {
      at: job.createdAt,
      source: "jobs",
      what: `queued: ${job.kind} by ${job.userId} (model ${job.model ?? "default"})`,
    },
  ];
  const [hold] = await db.select().from(holds).where(eq(holds.jobId, jobId));
  if (hold) {
    events.push({
      at: hold.createdAt,
      source: "holds",
      what: `held ${formatUsd(hold.amountNanos)} (${hold.period})`,
    });
    if (hold.closedAt) events.push({ at: hold.closedAt, source: "holds", what: `hold ${hold.status}` });
  }
  if (job.startedAt)
    events.push({ at: job.startedAt, source: "jobs", what: `prediction ${job.predictionId ?? "?"} running` });
  if (job.deadlineAt) events.push({ at: job.deadlineAt, source: "jobs", what: "deadline (Cancel-After)" });
  for (const entry of await db.select().from(ledgerEntries).where(eq(ledgerEntries.jobId, jobId))) {
    events.push({
      at: entry.createdAt,
      source: "ledger",
      what: `charged ${formatUsd(entry.costNanos)} for ${entry.predictionId} (${entry.predictionStatus})`,
    });
  }
  if (job.completedAt) {
    events.push({
      at: job.completedAt,
      source: "jobs",
      what: `${job.status}${job.error ? `: ${job.error}` : ""}`,
    });
  }
  if (job.finalWrittenAt)
    events.push({ at: job.finalWrittenAt, source: "jobs", what: "final message written" });
  events.push(...logEvents(logFiles, jobId, job.predictionId));
  return events.sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** The timeline as printed: one line per event, with the time since the job was queued. */
export function formatTimeline(jobId: string, events: TimelineEvent[]): string {
  const start = events[0]?.at.getTime() ?? 0;
  const lines = events.map((event) => {
    const offset = ((event.at.getTime() - start) / 1000).toFixed(3).padStart(9);
    return `${event.at.toISOString()}  +${offset}s  ${event.source.padEnd(14)} ${event.what}`;
  });
  return [`job ${jobId}`, ...lines].join("\n");
}
