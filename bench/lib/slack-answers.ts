import { jobIdFromEvent } from "@replibot/core";
import type { AppStack } from "./app-stack.ts";
import type { AskSent, AskTiming } from "./discord-answers.ts";
import { sleep } from "./load.ts";

/** The Slack answer's last line: `_model · $cost_` (see apps/worker's final message). */
const footer = /\n\n_[^\n]+ · [^\n]+_$/;

/** The answer part of a Slack reply: what follows the "<@asker> asked: …" heading and its blank line. */
function bodyOf(text: string): string {
  const cut = text.indexOf("\n\n");
  return cut < 0 ? "" : text.slice(cut + 2);
}

/**
 * Types `/ask` as a fresh member of the fake workspace in `channelId`, signed as Slack signs it, with a
 * prompt the emulator answers with `answer`; resolves once Bolt acked. Timed at the fake's send.
 */
export async function askSlack(
  stack: AppStack,
  channelId: string,
  member: string,
  answer: string,
): Promise<AskSent> {
  const { slack } = stack.fakes;
  const userId = slack.addUser(slack.teamId, { name: member });
  const sent = await slack.slashCommand({
    appUrl: stack.slackUrl,
    teamId: slack.teamId,
    channelId,
    userId,
    command: "/ask",
    text: `Repeat exactly:\n${answer}`,
  });
  return {
    jobId: jobIdFromEvent("slack", sent.triggerId),
    interactionId: sent.triggerId,
    token: "",
    answer,
    dispatchedAt: sent.sentAt,
  };
}

/** Waits (up to `timeoutMs`) until every Slack job's final update arrived, then reads the timings. */
export async function collectSlackTimings(
  stack: AppStack,
  sent: AskSent[],
  timeoutMs: number,
): Promise<AskTiming[]> {
  const { slack } = stack.fakes;
  const writes = () =>
    slack
      .requests()
      .filter(
        (r) =>
          (r.method === "chat.postMessage" || r.method === "chat.update") &&
          r.status === 200 &&
          (r.result as { ok?: boolean } | undefined)?.ok === true,
      );
  // A reply is the bot's message whose heading quotes this command's unique first word.
  const tsOf = (list: ReturnType<typeof writes>, s: AskSent) => {
    const firstWord = s.answer.split(" ")[0]!;
    const post = list.find(
      (r) => r.method === "chat.postMessage" && String(r.params.text ?? "").includes(`${firstWord} `),
    );
    return post ? String((post.result as { ts?: string }).ts) : undefined;
  };
  const finished = (list: ReturnType<typeof writes>, s: AskSent) => {
    const ts = tsOf(list, s);
    return (
      ts !== undefined &&
      list.some((r) => r.method === "chat.update" && r.params.ts === ts && footer.test(String(r.params.text)))
    );
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = writes();
    if (sent.every((s) => finished(list, s))) break;
    await sleep(200);
  }
  const list = writes();
  const predictions = stack.emulator.control.predictions();
  return sent.flatMap((s): AskTiming[] => {
    const prediction = predictions.find((p) => p.prediction.webhook?.includes(`job=${s.jobId}`))?.prediction;
    const ts = tsOf(list, s);
    if (!prediction?.started_at || !prediction.completed_at || ts === undefined) return [];
    const mine = list.filter((r) => r.method === "chat.update" && r.params.ts === ts);
    const firstWord = s.answer.split(" ")[0]!;
    const firstTokenEdit = mine.find((r) => bodyOf(String(r.params.text)).startsWith(firstWord));
    const finalEdit = mine.find((r) => footer.test(String(r.params.text)));
    const ttftMs = (prediction.metrics?.time_to_first_token ?? 0) * 1000;
    return [
      {
        jobId: s.jobId,
        channelId: String(finalEdit?.params.channel ?? ""),
        dispatchedAt: s.dispatchedAt ?? Date.parse(prediction.created_at),
        createdAt: Date.parse(prediction.created_at),
        firstTokenAt: Date.parse(prediction.started_at) + ttftMs,
        completedAt: Date.parse(prediction.completed_at),
        firstTokenEditAt: firstTokenEdit?.at ?? null,
        finalEditAt: finalEdit?.at ?? null,
        exact:
          finalEdit !== undefined && bodyOf(String(finalEdit.params.text)).startsWith(`${s.answer}\n\n_`),
        interimEdits: finalEdit ? mine.filter((r) => r.at < finalEdit.at).length : mine.length,
      },
    ];
  });
}
