import { type ImagineText, parseImagineText } from "@replibot/chat";

/** The longest /ask question, as on Discord (apps/discord/src/commands.ts). */
export const ASK_PROMPT_MAX = 4_000;
/** The longest /imagine prompt and negative prompt, as on Discord. */
export const IMAGINE_PROMPT_MAX = 2_000;
/** The longest line the playground reads: a longest question with its command and some room. */
export const COMMAND_LINE_MAX = 4_100;

/** A line the visitor typed, as a command, or the reason it is not one. */
export type CommandLine =
  | { ok: true; command: "ask"; prompt: string }
  | { ok: true; command: "imagine"; options: ImagineText }
  | { ok: true; command: "spend" }
  | { ok: false; reason: string };

/** The words the playground itself answers with (the worker writes the answers). */
export const playgroundText = {
  usage: "Type a command: `/ask <question>`, `/imagine <description>` or `/spend`.",
  notCommand: (word: string) =>
    `\`${word}\` is not a command here. Use \`/ask <question>\`, \`/imagine <description>\` or \`/spend\`.`,
  lineTooLong: `That line is too long: keep it under ${COMMAND_LINE_MAX.toLocaleString("en-US")} characters.`,
  emptyPrompt: "Your prompt is empty: type a question after `/ask`.",
  emptyImagePrompt:
    "Your prompt is empty: describe the image after `/imagine`, e.g. `/imagine a red fox --ar 16:9`.",
  promptTooLong: (max: number) =>
    `Your prompt is too long: keep it under ${max.toLocaleString("en-US")} characters.`,
  spendUsage: "Use `/spend` (or `/spend show`) for this month's figures.",
  badOption: (option: string, problem: string) => `The option \`${option}\` is not right: ${problem}.`,
  unknownModel: (model: string, choices: string[]) =>
    `There is no model \`${model}\` here. Choose one of: ${choices.map((c) => `\`${c}\``).join(", ")}.`,
  thinking: "Thinking…",
  transcribing: "Transcribing…",
  databaseDown:
    "Sorry, Replibot cannot reach its database right now, so your request was not taken. Please try again in a minute.",
  busy: "Replibot is busy right now (the queue did not answer). Your request is saved and will run shortly.",
  onlyAskerCancels: "Only the visitor who asked can cancel this.",
  alreadyFinished: "This has already finished.",
  unknownJob: "This request no longer exists.",
  unknownButton: "That button does nothing here.",
  noAudio: "Choose an audio file (a voice note, .ogg, .wav, .m4a, .webm or .mp3) to upload.",
  notAudio: "That file is not audio: upload a voice note or an audio file.",
  audioTooLarge: (maxBytes: number) =>
    `That file is larger than ${(maxBytes / 1_000_000).toFixed(maxBytes < 10_000_000 ? 1 : 0)} MB, the most Replibot transcribes.`,
};

/**
 * Reads one line typed in the playground: `/ask <question>`, `/imagine <prompt> [--ar 16:9]
 * [--seed 7] [--no <words>] [--model <name>]` or `/spend`, with the limits Discord sets.
 */
export function parseCommandLine(line: string): CommandLine {
  if (line.length > COMMAND_LINE_MAX) return { ok: false, reason: playgroundText.lineTooLong };
  const trimmed = line.trim();
  if (!trimmed) return { ok: false, reason: playgroundText.usage };
  const match = /^(\S+)(?:\s+([\s\S]*))?$/.exec(trimmed);
  const word = match?.[1] ?? "";
  const rest = (match?.[2] ?? "").trim();
  switch (word.toLowerCase()) {
    case "/ask":
      if (!rest) return { ok: false, reason: playgroundText.emptyPrompt };
      if (rest.length > ASK_PROMPT_MAX)
        return { ok: false, reason: playgroundText.promptTooLong(ASK_PROMPT_MAX) };
      return { ok: true, command: "ask", prompt: rest };
    case "/imagine": {
      const parsed = parseImagineText(rest);
      if (!parsed.ok) return parsed;
      if (!parsed.value.prompt) return { ok: false, reason: playgroundText.emptyImagePrompt };
      if (parsed.value.prompt.length > IMAGINE_PROMPT_MAX)
        return { ok: false, reason: playgroundText.promptTooLong(IMAGINE_PROMPT_MAX) };
      return { ok: true, command: "imagine", options: parsed.value };
    }
    case "/spend":
      return rest === "" || rest.toLowerCase() === "show"
        ? { ok: true, command: "spend" }
        : { ok: false, reason: playgroundText.spendUsage };
    default:
      return {
        ok: false,
        reason: word.startsWith("/") ? playgroundText.notCommand(word.slice(0, 40)) : playgroundText.usage,
      };
  }
}
