/**
 * `npm run job -- <job id> [--logs file.ndjson ...]`: prints a job's timeline from Postgres (queued,
 * held, running, charged, ended, final message written) merged with the log lines that mention it
 * or its prediction, from the log files given (every process logs JSON lines with the job's id).
 */
import { databaseEnv, parseEnv } from "@replibot/core";
import { createDb } from "@replibot/db";
import { formatTimeline, jobTimeline } from "./job-timeline.ts";

const args = process.argv.slice(2);
const jobId = args.find((arg, index) => !arg.startsWith("--") && args[index - 1] !== "--logs");
const logFiles = args.flatMap((arg, index) => (args[index - 1] === "--logs" ? [arg] : []));
if (!jobId) {
  console.error("usage: npm run job -- <job id> [--logs file.ndjson ...]");
  process.exit(2);
}
const { DATABASE_URL } = parseEnv(databaseEnv, process.env);
const database = createDb({ url: DATABASE_URL, max: 1 });
try {
  const events = await jobTimeline(database.db, jobId, logFiles);
  if (!events) {
    console.error(`job: no job ${jobId} in this database`);
    process.exitCode = 1;
  } else {
    console.log(formatTimeline(jobId, events));
  }
} finally {
  await database.close();
}
