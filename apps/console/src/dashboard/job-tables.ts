import { formatUsd } from "@replibot/core";
import type { DashboardJob } from "@replibot/db";
import { escapeHtml } from "../layout.ts";
import { formatAge, formatUtc } from "./format.ts";

/** A table of jobs with their status, cost (or hold) and error; `emptyText` when there are none. */
export function jobTable(id: string, jobs: DashboardJob[], emptyText: string, nowMs = Date.now()): string {
  if (jobs.length === 0) return `<p class="muted" id="${id}">${escapeHtml(emptyText)}</p>`;
  const rows = jobs
    .map((j) => {
      const money =
        j.costNanos !== null
          ? formatUsd(j.costNanos)
          : j.heldNanos !== null
            ? `<span class="muted">${formatUsd(j.heldNanos)} held</span>`
            : '<span class="muted">none</span>';
      const when =
        j.status === "queued"
          ? `waiting ${formatAge(nowMs - j.createdAt.getTime())}`
          : formatUtc(j.createdAt);
      return `<tr data-job="${escapeHtml(j.id)}">
<td><code>${escapeHtml(j.id)}</code></td>
<td>${escapeHtml(j.kind)}${j.model ? `<br><span class="muted">${escapeHtml(j.model)}</span>` : ""}</td>
<td>${escapeHtml(j.userId)}</td>
<td data-field="status">${escapeHtml(j.status)}</td>
<td>${escapeHtml(when)}</td>
<td data-field="cost">${money}</td>
<td data-field="error">${j.error ? `<span class="error">${escapeHtml(j.error.slice(0, 300))}</span>` : ""}</td>
</tr>`;
    })
    .join("");
  return `<div class="table-wrap"><table id="${id}">
<thead><tr><th>job</th><th>kind</th><th>member</th><th>status</th><th>when</th><th>cost</th><th>error</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>`;
}
