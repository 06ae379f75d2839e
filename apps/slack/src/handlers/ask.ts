import type { JobKind } from "@replibot/core";
import { resolveCatalogModel } from "@replibot/replicate";
import type { SlackAppDeps } from "../deps.ts";
import { replies } from "../replies.ts";
import type { SlackOrigin } from "./start-job.ts";
import { startSlackJob } from "./start-job.ts";

/** The question on one line, cut at `max` characters, for the line above the answer. */
function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ");
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** The longest question `/ask` takes, as on Discord. */
export const ASK_PROMPT_MAX = 4_000;

/** What to answer at once: a refusal (ephemeral, nothing queued), or the job to start after the ack. */
export type CommandCheck =
  | { ok: false; reason: string }
  | {
      ok: true;
      kind: JobKind;
      prompt: string;
      /** The catalog model the request names, or the command's default. */
      model: string;
      /** Whether the member named the model (else the workspace's allowed models may choose another). */
      explicitModel: boolean;
      /** Queues the job, with `model` when the workspace's policy picked a different default. */
      start(origin: SlackOrigin, model?: string): Promise<unknown>;
    };

/**
 * `/ask <prompt>`, or a message that asks (a mention, a follow-up in a thread, a DM: `asked` says
 * which conversation and message): checks the text before the ack, then queues the job.
 */
export function checkAsk(
  deps: SlackAppDeps,
  text: string,
  asked?: { conversationId?: string; questionKey: string },
): CommandCheck {
  const prompt = text.trim();
  if (!prompt) return { ok: false, reason: replies.emptyPrompt };
  if (prompt.length > ASK_PROMPT_MAX) return { ok: false, reason: replies.promptTooLong(ASK_PROMPT_MAX) };
  const resolved = resolveCatalogModel(deps.catalog, "ask", undefined);
  if (!resolved.ok) return { ok: false, reason: replies.unknownModel("", resolved.choices) };
  return {
    ok: true,
    kind: "ask",
    prompt,
    model: resolved.model.id,
    explicitModel: false,
    start: (origin, model = resolved.model.id) =>
      startSlackJob(deps, origin, {
        kind: "ask",
        model,
        input: { prompt, model, ...(asked ? { questionKey: asked.questionKey } : {}) },
        // A message is right above its answer; a slash command is not shown, so its question is.
        ...(asked ? { conversationId: asked.conversationId } : { heading: `asked: ${oneLine(prompt, 300)}` }),
      }),
  };
}
