import type { ChaosStack } from "./chaos-stack.ts";

/** One command a member issued, and what its answer must be if it succeeds. */
export interface IssuedCommand {
  jobId: string;
  platform: "discord" | "slack";
  /** The model's exact answer ("Repeat exactly" prompts make it known in advance). */
  answer: string;
  /** The piece of the answer no other command's answer has. */
  marker: string;
}

let runs = 0;

/**
 * Issues `count` `/ask` commands at once, half on Discord and half on Slack (two tenants), each
 * from its own member, in the channels round-robin. Each answer is unique, so a message showing it
 * twice, or another job's, is noticed.
 */
export async function issueCommands(stack: ChaosStack, count: number): Promise<IssuedCommand[]> {
  const run = ++runs;
  const line = (index: number) => `Run ${run} answer ${index} is here.`;
  const repeat = 12;
  const commands = Array.from({ length: count }, async (_, index): Promise<IssuedCommand> => {
    const prompt = `Repeat exactly ${repeat} times:\n${line(index)}`;
    // The emulator repeats the text back to back.
    const answer = line(index).repeat(repeat);
    if (index % 2 === 0) {
      const userId = stack.discordFake.addMember(stack.guildId, { username: `d${run}x${index}` });
      const { interactionId } = stack.discordFake.slashCommand({
        guildId: stack.guildId,
        channelId: stack.discordChannels[index % stack.discordChannels.length]!,
        userId,
        name: "ask",
        options: { prompt },
      });
      return { jobId: `discord-${interactionId}`, platform: "discord", answer, marker: line(index) };
    }
    const userId = stack.slackFake.addUser(stack.teamId, { name: `s${run}x${index}` });
    const answered = await stack.slackFake.slashCommand({
      appUrl: stack.slackUrl,
      teamId: stack.teamId,
      channelId: stack.slackChannels[index % stack.slackChannels.length]!,
      userId,
      command: "/ask",
      text: prompt,
    });
    return { jobId: `slack-${answered.triggerId}`, platform: "slack", answer, marker: line(index) };
  });
  return Promise.all(commands);
}
