import { randomInt } from "node:crypto";
import { newConsoleMessageId, spendSummary } from "@replibot/chat";
import { ConsoleReplyTarget, ImagineInput, terminalJobStatuses } from "@replibot/core";
import { getJob, type JobRow, periodEnd, periodOf, spendReport } from "@replibot/db";
import { resolveCatalogModel } from "@replibot/replicate";
import type { ConsoleDeps } from "../deps.ts";
import { parseCommandLine, playgroundText } from "./command-line.ts";
import { demoTenant } from "./demo-tenant.ts";
import { type PlaygroundJobResult, startPlaygroundJob } from "./start-job.ts";
import { type Visitor, visitorName } from "./visitor.ts";

/** What the page is told about a command: taken (its answer arrives in the conversation), or why not. */
export type CommandResult = { ok: true; jobId?: string } | { ok: false; reason: string };

const flagOf: Record<string, string> = { aspectRatio: "--ar", negativePrompt: "--no", seed: "--seed" };

/** Runs one line the visitor typed: `/ask`, `/imagine` or `/spend`. */
export async function runCommandLine(
  deps: ConsoleDeps,
  visitor: Visitor,
  line: string,
): Promise<CommandResult> {
  const parsed = parseCommandLine(line);
  if (!parsed.ok) return parsed;
  switch (parsed.command) {
    case "ask": {
      const resolved = resolveCatalogModel(deps.catalog, "ask", undefined);
      if (!resolved.ok) return { ok: false, reason: playgroundText.unknownModel("", resolved.choices) };
      return startPlaygroundJob(deps, visitor, {
        kind: "ask",
        model: resolved.model.id,
        input: { prompt: parsed.prompt, model: resolved.model.id },
        prompt: parsed.prompt,
        said: { text: `/ask ${parsed.prompt}` },
      });
    }
    case "imagine": {
      const { model, ...options } = parsed.options;
      const resolved = resolveCatalogModel(deps.catalog, "imagine", model);
      if (!resolved.ok)
        return { ok: false, reason: playgroundText.unknownModel(model ?? "", resolved.choices) };
      const input = ImagineInput.safeParse({ ...options, model: resolved.model.id });
      if (!input.success) {
        const issue = input.error.issues[0];
        const field = String(issue?.path[0] ?? "option");
        return {
          ok: false,
          reason: playgroundText.badOption(flagOf[field] ?? field, issue?.message ?? "is invalid"),
        };
      }
      return startPlaygroundJob(deps, visitor, {
        kind: "imagine",
        model: resolved.model.id,
        explicitModel: model !== undefined,
        // The playground is no age-restricted channel: the safety checker stays on.
        input: { ...input.data, safetyCheckerOff: false },
        prompt: input.data.prompt,
        said: { text: line.trim() },
      });
    }
    case "spend":
      return showSpend(deps, visitor);
  }
}

/** `/spend`: the demo tenant's month, worded as on Discord and Slack, as a message in the conversation. */
async function showSpend(deps: ConsoleDeps, visitor: Visitor): Promise<CommandResult> {
  const tenant = await demoTenant(deps);
  const period = periodOf(new Date());
  const report = await spendReport(deps.db, tenant.id, period);
  const text = spendSummary({
    ...report,
    limitNanos: tenant.monthlyLimitNanos ?? deps.env.CONSOLE_DEMO_LIMIT_USD,
    resetsOn: periodEnd(period).toISOString().slice(0, 10),
    mention: (userId) => visitorName(userId, visitor),
  });
  await deps.store.write(visitor.conversationId, {
    id: newConsoleMessageId(),
    author: "visitor",
    text: "/spend",
    buttons: [],
    files: [],
  });
  await deps.platform.post(
    { tenantExternalId: tenant.externalId, channelId: visitor.conversationId },
    { text },
  );
  return { ok: true };
}

/** A job of this visitor's conversation, or why a button naming it does nothing. */
async function ownJob(
  deps: ConsoleDeps,
  visitor: Visitor,
  jobId: string,
): Promise<{ ok: true; job: JobRow } | { ok: false; reason: string }> {
  const job = await getJob(deps.db, jobId);
  const target = ConsoleReplyTarget.safeParse(job?.replyTarget);
  // Another visitor's job (a tampered button id) looks like no job at all.
  if (!job || !target.success || target.data.conversationId !== visitor.conversationId)
    return { ok: false, reason: playgroundText.unknownJob };
  return { ok: true, job };
}

/** A button under a message: Cancel (only the asker, while it runs) or Regenerate (an image again, new seed). */
export async function pressButton(
  deps: ConsoleDeps,
  visitor: Visitor,
  buttonId: string,
): Promise<CommandResult | PlaygroundJobResult> {
  const [action, jobId = ""] = buttonId.split(/:(.*)/s);
  if (action !== "cancel" && action !== "regenerate")
    return { ok: false, reason: playgroundText.unknownButton };
  const found = await ownJob(deps, visitor, jobId);
  if (!found.ok) return found;
  const { job } = found;
  if (action === "cancel") {
    if (job.userId !== visitor.userId) return { ok: false, reason: playgroundText.onlyAskerCancels };
    if (terminalJobStatuses.includes(job.status))
      return { ok: false, reason: playgroundText.alreadyFinished };
    await deps.producer.enqueue("cancel", { jobId, byUserId: visitor.userId }, { jobId: `cancel-${jobId}` });
    return { ok: true, jobId };
  }
  const parsed = ImagineInput.safeParse(job.input);
  if (job.kind !== "imagine" || !parsed.success) return { ok: false, reason: playgroundText.unknownJob };
  const model = job.model ?? parsed.data.model ?? deps.catalog.commands.imagine.default;
  return startPlaygroundJob(deps, visitor, {
    kind: "imagine",
    model,
    explicitModel: true,
    input: { ...parsed.data, seed: randomInt(0, 2 ** 32 - 1), safetyCheckerOff: false },
    prompt: parsed.data.prompt,
    said: { text: `/imagine ${parsed.data.prompt} (Regenerate)` },
    parentJobId: job.id,
  });
}
