const barWidth = 10;
const blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];

const clockText = (seconds: number) => {
  const whole = Math.max(0, Math.round(seconds));
  return `${String(Math.floor(whole / 60)).padStart(2, "0")}:${String(whole % 60).padStart(2, "0")}`;
};

/** A tqdm progress line, e.g. ` 40%|████      | 2/5 [00:00<00:00, 14.10it/s]`. */
export function tqdmLine(step: number, total: number, elapsedS: number): string {
  const fraction = total > 0 ? step / total : 1;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4, " ");
  const eighths = Math.floor(fraction * barWidth * 8);
  const bar = `${"█".repeat(Math.floor(eighths / 8))}${blocks[eighths % 8] ?? ""}`.padEnd(barWidth, " ");
  const rate = step > 0 && elapsedS > 0 ? step / elapsedS : 0;
  const remainingS = rate > 0 ? (total - step) / rate : 0;
  const rateText = rate > 0 ? `${rate.toFixed(2)}it/s` : "?it/s";
  const eta = step > 0 ? clockText(remainingS) : "?";
  return `${percent}|${bar}| ${step}/${total} [${clockText(elapsedS)}<${eta}, ${rateText}]`;
}
