import { jobIdFromEvent } from "@replibot/core";
import type { AnswerDriver } from "./answer-drivers.ts";
import type { AppStack } from "./app-stack.ts";
import { sleep } from "./load.ts";

/** One /imagine: the emulator's `completed_at` and when the image upload reached the fake (epoch ms). */
export interface ImageTiming {
  jobId: string;
  completedAt: number;
  uploadedAt: number | null;
  /** The uploaded file's size where the fake records it (Discord), else the emulator's output size. */
  bytes: number;
}

interface ImageSent {
  jobId: string;
  channelId: string;
  sentAt: number;
  /** Discord: the interaction token, which names the reply's edits. */
  token?: string;
}

/**
 * Runs `rounds` rounds of one `/imagine … model sdxl` (1024×1024 PNG) per channel on one platform, each
 * round after the last has landed, and times each from the emulator's `succeeded` to the upload's
 * arrival at the fake (Discord: the edit carrying the attachment; Slack: `files.completeUploadExternal`,
 * which shares the uploaded file in the channel).
 */
export async function imageRounds(
  stack: AppStack,
  driver: AnswerDriver,
  rounds: number,
  log: (line: string) => void,
): Promise<{ timings: ImageTiming[]; sent: number }> {
  const timings: ImageTiming[] = [];
  let sent = 0;
  for (let round = 0; round < rounds; round++) {
    // The previous round's text answers (or images) spent Slack's chat.update budget: let it refill.
    await sleep(driver.roundGapMs);
    const batch = await Promise.all(
      driver.channels.map((channelId, i) =>
        imagine(stack, driver.platform, channelId, `image ${round}-${i}`),
      ),
    );
    sent += batch.length;
    const deadline = Date.now() + 60_000;
    let found: ImageTiming[] = [];
    while (Date.now() < deadline) {
      found = readTimings(stack, driver.platform, batch);
      if (found.filter((t) => t.uploadedAt !== null).length === batch.length) break;
      await sleep(200);
    }
    timings.push(...found);
    log(
      `${driver.platform} image round ${round + 1}/${rounds}: ${timings.filter((t) => t.uploadedAt).length}/${sent} uploads timed`,
    );
  }
  return { timings, sent };
}

async function imagine(
  stack: AppStack,
  platform: AnswerDriver["platform"],
  channelId: string,
  member: string,
): Promise<ImageSent> {
  // One prompt and seed for every job: the emulator draws the picture once and serves it again, so
  // its drawing (CPU in this process, beside the fakes' clocks) stays out of the figures.
  const prompt = "a lighthouse at dusk";
  if (platform === "Discord") {
    const { discord } = stack.fakes;
    const userId = discord.addMember(stack.fakes.guildId, { username: `img-${member}` });
    const ref = discord.slashCommand({
      channelId,
      userId,
      name: "imagine",
      options: { prompt, model: "sdxl", seed: 7 },
    });
    return { jobId: `discord-${ref.interactionId}`, channelId, sentAt: Date.now(), token: ref.token };
  }
  const { slack } = stack.fakes;
  const userId = slack.addUser(slack.teamId, { name: `img-${member}` });
  const sent = await slack.slashCommand({
    appUrl: stack.slackUrl,
    teamId: slack.teamId,
    channelId,
    userId,
    command: "/imagine",
    text: `${prompt} --seed 7 --model sdxl`,
  });
  return { jobId: jobIdFromEvent("slack", sent.triggerId), channelId, sentAt: sent.sentAt };
}

function readTimings(stack: AppStack, platform: AnswerDriver["platform"], batch: ImageSent[]): ImageTiming[] {
  const predictions = stack.emulator.control.predictions();
  return batch.flatMap((s): ImageTiming[] => {
    const prediction = predictions.find((p) => p.prediction.webhook?.includes(`job=${s.jobId}`));
    if (!prediction?.prediction.completed_at || prediction.prediction.status !== "succeeded") return [];
    const completedAt = Date.parse(prediction.prediction.completed_at);
    if (platform === "Discord") {
      const upload = stack.fakes.discord
        .requests()
        .find(
          (r) => r.status === 200 && r.files.length > 0 && s.token !== undefined && r.path.includes(s.token),
        );
      return [
        {
          jobId: s.jobId,
          completedAt,
          uploadedAt: upload?.at ?? null,
          bytes: upload?.files.reduce((sum, f) => sum + f.size, 0) ?? 0,
        },
      ];
    }
    // One job per channel at a time: the channel's first share after the command is this job's.
    const share = stack.fakes.slack
      .requests()
      .find(
        (r) =>
          r.method === "files.completeUploadExternal" &&
          r.status === 200 &&
          r.at >= s.sentAt &&
          r.params.channel_id === s.channelId,
      );
    const upload = stack.fakes.slack
      .requests()
      .filter(
        (r) =>
          r.method === "upload" && r.status === 200 && r.at >= s.sentAt && (share ? r.at <= share.at : true),
      )
      .at(-1);
    const bytes = Number(String(upload?.result ?? "").match(/OK - (\d+)/)?.[1] ?? 0);
    return [{ jobId: s.jobId, completedAt, uploadedAt: share?.at ?? null, bytes }];
  });
}
