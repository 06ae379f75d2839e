import { escapeHtml } from "../layout.ts";
import { formatAge } from "./format.ts";
import type { QueueHealth } from "./queue-health.ts";

/** The queue's health as a section of a dashboard page. */
export function healthSection(health: QueueHealth): string {
  const queues = health.queues
    .map(
      (q) =>
        `<tr data-queue="${escapeHtml(q.name)}"><td>${escapeHtml(q.name)}</td><td>${q.waiting}</td><td>${q.active}</td><td>${q.delayed}</td><td${q.failed > 0 ? ' class="error"' : ""}>${q.failed}</td></tr>`,
    )
    .join("");
  const processes = health.processes.length
    ? health.processes
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.app)}</td><td><code>${escapeHtml(p.id)}</code></td><td class="${p.healthy ? "ok" : "error"}">${p.healthy ? "well" : escapeHtml(p.problems.join("; ") || "unwell")}</td><td>${formatAge(p.ageMs)} ago</td></tr>`,
        )
        .join("")
    : '<tr><td colspan="4" class="muted">No process has sent a heartbeat.</td></tr>';
  const problems = health.problems.length
    ? `<ul class="error">${health.problems.map((p) => `<li>${escapeHtml(p)}</li>`).join("")}</ul>`
    : "";
  return `<section id="queue-health" aria-labelledby="queue-health-title">
<h2 id="queue-health-title">Queue health</h2>
${problems}
<p><span data-figure="queued-jobs">${health.queuedJobs}</span> job${health.queuedJobs === 1 ? "" : "s"} queued in all${
    health.oldestQueuedAgeMs !== null
      ? `; the oldest has waited <span data-figure="oldest-queued">${formatAge(health.oldestQueuedAgeMs)}</span>`
      : ""
  }. Last sweep: ${health.lastSweepAgoMs === null ? "none in the last day" : `${formatAge(health.lastSweepAgoMs)} ago`}.</p>
<div class="table-wrap"><table>
<thead><tr><th>queue</th><th>waiting</th><th>active</th><th>delayed</th><th>failed</th></tr></thead>
<tbody>${queues || '<tr><td colspan="5" class="muted">Redis did not answer.</td></tr>'}</tbody>
</table></div>
<h3>Processes</h3>
<div class="table-wrap"><table>
<thead><tr><th>app</th><th>process</th><th>state</th><th>heartbeat</th></tr></thead>
<tbody>${processes}</tbody>
</table></div>
</section>`;
}
