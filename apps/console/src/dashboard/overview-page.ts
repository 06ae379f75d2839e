import { formatUsd } from "@replibot/core";
import type { TenantOverview } from "@replibot/db";
import { escapeHtml } from "../layout.ts";
import { percentOf, platformLabel } from "./format.ts";
import { healthSection } from "./health-section.ts";
import type { QueueHealth } from "./queue-health.ts";
import { effectiveLimit, type LimitSettings } from "./tenant-limit.ts";

/** What the dashboard's first page shows. */
export interface OverviewInput {
  period: string;
  tenants: TenantOverview[];
  /** The most tenants listed (the biggest spenders first). */
  shownMax: number;
  operator: { spentNanos: bigint; heldNanos: bigint; capNanos?: bigint | undefined };
  settings: LimitSettings;
  health: QueueHealth;
}

/** The dashboard's first page: every tenant's month at a glance, the operator's total, the queue. */
export function overviewBody(input: OverviewInput): string {
  const rows = input.tenants
    .map((t) => {
      const limit = effectiveLimit(t.monthlyLimitNanos, input.settings);
      const percent = percentOf(t.spentNanos, limit);
      return `<tr data-tenant="${escapeHtml(t.id)}">
<td>${escapeHtml(platformLabel(t.platform))}</td>
<td><a href="/console/dashboard/tenants/${escapeHtml(t.id)}">${escapeHtml(t.name ?? t.externalId)}</a></td>
<td data-figure="spent">${formatUsd(t.spentNanos)}</td>
<td data-figure="limit">${formatUsd(limit)}${t.monthlyLimitNanos === null ? ' <span class="muted">(default)</span>' : ""}</td>
<td${percent >= 100 ? ' class="error"' : ""}>${percent === 0 && t.spentNanos > 0n ? "&lt;1" : percent}%</td>
<td data-figure="queued">${t.queued}</td>
<td data-figure="running">${t.running}</td>
<td${t.failed > 0 ? ' class="error"' : ""}>${t.failed}</td>
</tr>`;
    })
    .join("");
  const cap = input.operator.capNanos;
  return `<h1>Dashboard</h1>
<p class="muted">This month (${escapeHtml(input.period)}, UTC). Figures are Replibot's computation from Replicate's list prices.</p>
<div class="card" id="operator-month">All tenants together: <strong data-figure="operator-spent">${formatUsd(input.operator.spentNanos)}</strong> spent${
    input.operator.heldNanos > 0n ? `, ${formatUsd(input.operator.heldNanos)} held for running requests` : ""
  }${cap === undefined ? " (no operator cap set)" : ` of the operator's cap of ${formatUsd(cap)}`}.</div>
<h2>Tenants</h2>
<div class="table-wrap"><table id="tenants">
<thead><tr><th>kind</th><th>name</th><th>spent</th><th>limit</th><th>used</th><th>queued</th><th>running</th><th>failed</th></tr></thead>
<tbody>${rows || '<tr><td colspan="8" class="muted">No tenant yet: a Discord server, Slack workspace or the playground appears here after its first request.</td></tr>'}</tbody>
</table></div>
${input.tenants.length >= input.shownMax ? `<p class="muted">Showing the ${input.shownMax} tenants that spent the most this month.</p>` : ""}
${healthSection(input.health)}`;
}
