import type { AppStack } from "./app-stack.ts";
import { sleep } from "./load.ts";

/** One /ask on Discord, timed at the fake and the emulator, never inside Replibot (all epoch ms). */
export interface AskTiming {
  jobId: string;
  channelId: string;
  /** Fake Discord: INTERACTION_CREATE dispatched. */
  dispatchedAt: number;
  /** Emulator: prediction created, first token emitted, marked succeeded. */
  createdAt: number;
  firstTokenAt: number;
  completedAt: number;
  /** Fake Discord: the first edit showing the first token arrived; the final edit (with the footer) arrived. */
  firstTokenEditAt: number | null;
  finalEditAt: number | null;
  /** The final message shows exactly the model's answer. */
  exact: boolean;
  /** Interim edits before the final one. */
  interimEdits: number;
}

/** `words` words of an answer whose first word is unique to the command, so edits are attributed. */
export function answerText(index: number, words: number): string {
  const filler = Array.from({ length: words - 2 }, (_, i) => `word${i % 10}`).join(" ");
  return `Start${index} ${filler} end${index}.`;
}

/** A command sent: its job id, its interaction token (which names its edits) and the answer it must show. */
export interface AskSent {
  jobId: string;
  interactionId: string;
  token: string;
  answer: string;
  /** The fake's clock when the command was sent, where the platform's record of it does not say. */
  dispatchedAt?: number;
}

/** Types `/ask` as a fresh member in `channelId`, with a prompt the emulator answers with `answer`. */
export function ask(stack: AppStack, channelId: string, member: string, answer: string): AskSent {
  const userId = stack.fakes.discord.addMember(stack.fakes.guildId, { username: member });
  const { interactionId, token } = stack.fakes.discord.slashCommand({
    channelId,
    userId,
    name: "ask",
    options: { prompt: `Repeat exactly:\n${answer}` },
  });
  return { jobId: `discord-${interactionId}`, interactionId, token, answer };
}

const footer = /\n-# .+ · /;

/** Waits (up to `timeoutMs`) until every job's final edit arrived, then reads the timings. */
export async function collectTimings(
  stack: AppStack,
  sent: AskSent[],
  timeoutMs: number,
): Promise<AskTiming[]> {
  const { discord } = stack.fakes;
  const finished = (s: AskSent) =>
    footer.test(discord.interactionResponse(s.interactionId)?.original?.content ?? "");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !sent.every(finished)) await sleep(200);
  const predictions = stack.emulator.control.predictions();
  const edits = discord
    .requests()
    .filter((r) => r.method === "PATCH" && r.path.endsWith("/messages/@original"));
  return sent.flatMap(({ jobId, interactionId, token, answer }): AskTiming[] => {
    const view = discord.interactionResponse(interactionId);
    const prediction = predictions.find((p) => p.prediction.webhook?.includes(`job=${jobId}`))?.prediction;
    if (!view || !prediction?.started_at || !prediction.completed_at) return [];
    const mine = edits.filter((r) => r.path.includes(token));
    const firstWord = answer.split(" ")[0]!;
    const content = (r: (typeof mine)[number]) =>
      String((r.body as { content?: string } | undefined)?.content ?? "");
    const firstTokenEdit = mine.find((r) => r.status === 200 && content(r).startsWith(firstWord));
    const finalEdit = mine.find((r) => r.status === 200 && footer.test(content(r)));
    const ttftMs = (prediction.metrics?.time_to_first_token ?? 0) * 1000;
    return [
      {
        jobId,
        channelId: view.channelId,
        dispatchedAt: view.createdAt,
        createdAt: Date.parse(prediction.created_at),
        firstTokenAt: Date.parse(prediction.started_at) + ttftMs,
        completedAt: Date.parse(prediction.completed_at),
        firstTokenEditAt: firstTokenEdit?.at ?? null,
        finalEditAt: finalEdit?.at ?? null,
        exact: finalEdit !== undefined && content(finalEdit).startsWith(`${answer}\n`),
        interimEdits: finalEdit ? mine.filter((r) => r.at < finalEdit.at).length : mine.length,
      },
    ];
  });
}
