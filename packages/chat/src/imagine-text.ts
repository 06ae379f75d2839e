/**
 * `/imagine` typed as one line (Slack's slash command, the console's playground): the prompt, then
 * `--flag value` options, parsed into what Discord's typed options give.
 */

/** Options of `/imagine a fox --ar 16:9 --seed 7 --no blur --model flux-schnell`. */
export interface ImagineText {
  prompt: string;
  aspectRatio?: string;
  seed?: number;
  negativePrompt?: string;
  model?: string;
}

/** A parse result: the value, or the reason to show the member. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const imagineFlags = ["ar", "seed", "no", "model"] as const;

/** Parses `/imagine` text: the prompt, then `--flag value` options in any order. */
export function parseImagineText(text: string): Parsed<ImagineText> {
  const [head = "", ...rest] = ` ${text}`.split(/\s--(?=\S)/);
  const value: ImagineText = { prompt: head.trim() };
  for (const part of rest) {
    const match = /^(\S+)\s*([\s\S]*)$/.exec(part);
    const flag = match?.[1]?.toLowerCase() ?? "";
    const argument = (match?.[2] ?? "").trim();
    if (!(imagineFlags as readonly string[]).includes(flag))
      return {
        ok: false,
        reason: `There is no option \`--${flag}\`: use \`--ar 16:9\`, \`--seed 7\`, \`--no <words>\` or \`--model <name>\`.`,
      };
    if (!argument) return { ok: false, reason: `The option \`--${flag}\` needs a value.` };
    if (flag === "ar") value.aspectRatio = argument;
    if (flag === "no") value.negativePrompt = argument;
    if (flag === "model") value.model = argument;
    if (flag === "seed") {
      if (!/^\d+$/.test(argument))
        return { ok: false, reason: "The option `--seed` takes a whole number such as 7." };
      value.seed = Number(argument);
    }
  }
  return { ok: true, value };
}
