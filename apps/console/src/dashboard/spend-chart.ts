import { formatUsd } from "@replibot/core";
import type { DailySpend } from "@replibot/db";
import { escapeHtml } from "../layout.ts";

const WIDTH = 480;
const HEIGHT = 150;
const TOP = 22;
const BOTTOM = 22;
const LEFT = 4;

/** The days of a month ("YYYY-MM"), "YYYY-MM-DD" each. */
export function daysOf(period: string): string[] {
  const [year, month] = period.split("-").map(Number) as [number, number];
  const count = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return Array.from({ length: count }, (_, i) => `${period}-${String(i + 1).padStart(2, "0")}`);
}

/**
 * Spend per day of the month as an inline SVG bar chart (no script, no library): each bar's height is
 * its share of the busiest day, its tooltip the exact amount. Heights are geometry; every amount shown
 * is formatted from the exact nano-dollars.
 */
export function spendChart(period: string, days: DailySpend[]): string {
  const byDay = new Map(days.map((d) => [d.day, d]));
  const all = daysOf(period);
  let max = 0n;
  for (const d of days) if (d.costNanos > max) max = d.costNanos;
  const plot = HEIGHT - TOP - BOTTOM;
  const step = (WIDTH - LEFT) / all.length;
  const bars = all
    .map((day, i) => {
      const entry = byDay.get(day);
      const cost = entry?.costNanos ?? 0n;
      // Parts per million of the busiest day: exact integer arithmetic down to the pixel.
      const share = max > 0n ? Number((cost * 1_000_000n) / max) / 1_000_000 : 0;
      const h = cost > 0n ? Math.max(1, share * plot) : 0;
      const x = LEFT + i * step + step * 0.15;
      const label = `${day}: ${formatUsd(cost)}${entry ? ` (${entry.predictions} charge${entry.predictions === 1 ? "" : "s"})` : ""}`;
      const tick =
        i === 0 || (i + 1) % 5 === 0
          ? `<text x="${(x + step * 0.35).toFixed(1)}" y="${HEIGHT - 6}" text-anchor="middle">${i + 1}</text>`
          : "";
      return `<g><rect x="${x.toFixed(1)}" y="${(TOP + plot - h).toFixed(1)}" width="${(step * 0.7).toFixed(1)}" height="${h.toFixed(1)}" rx="1"><title>${escapeHtml(label)}</title></rect>${tick}</g>`;
    })
    .join("");
  const peak = max > 0n ? `busiest day ${formatUsd(max)}` : "no charges yet this month";
  return `<svg class="spend-chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Spend per day in ${escapeHtml(period)}, ${escapeHtml(peak)}">
<style>.spend-chart{width:100%;height:auto;max-height:16rem}.spend-chart rect{fill:var(--accent)}.spend-chart text{fill:var(--muted);font-size:10px}.spend-chart line{stroke:var(--line)}</style>
<text x="${LEFT}" y="14">${escapeHtml(peak)}</text>
<line x1="${LEFT}" x2="${WIDTH}" y1="${TOP + plot + 0.5}" y2="${TOP + plot + 0.5}"/>
${bars}
</svg>`;
}
