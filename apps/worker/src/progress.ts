import type { Prediction } from "@replibot/replicate";

const tqdmLine = /^\s*(\d{1,3})%\s*\|.+?\|\s*(\d+)\/(\d+)/;

/** The last tqdm percentage in a prediction's logs (Replicate's image models print one line per step). */
export function percentFromLogs(logs: string | null | undefined): number | undefined {
  if (!logs) return undefined;
  const lines = logs.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = tqdmLine.exec(lines[i] ?? "");
    if (match) return Math.min(100, Number(match[1]));
  }
  return undefined;
}

/** The status line a member sees while an image or transcript is being made. */
export function progressLine(prediction: Prediction, doing: string): string {
  if (prediction.status === "starting") return "The model is starting (a cold start can take a minute)…";
  const percent = percentFromLogs(prediction.logs);
  return percent === undefined ? `${doing}…` : `${doing}… ${percent}%`;
}
