import { formatUsd } from "@replibot/core";
import type { DailySpend, DashboardJob, SpendReport, Tenant } from "@replibot/db";
import { escapeHtml } from "../layout.ts";
import { formatUtc, percentOf, platformLabel } from "./format.ts";
import { healthSection } from "./health-section.ts";
import { jobTable } from "./job-tables.ts";
import type { QueueHealth } from "./queue-health.ts";
import { spendChart } from "./spend-chart.ts";
import { effectiveLimit, type LimitSettings, limitCeiling } from "./tenant-limit.ts";

/** The limit form's state after a submission: the refusal and what was typed, or what was saved. */
export interface LimitFormState {
  error?: string;
  value?: string;
  note?: string;
}

/** Everything one tenant's page shows. */
export interface TenantPageInput {
  tenant: Tenant;
  period: string;
  resetsOn: string;
  report: SpendReport;
  daily: DailySpend[];
  counts: Record<string, number>;
  active: DashboardJob[];
  failed: DashboardJob[];
  limitChanges: { createdAt: Date; actorId: string; before: unknown; after: unknown }[];
  health: QueueHealth;
  settings: LimitSettings;
  form: LimitFormState;
}

/** One tenant's page: its month against its limit, the limit form, spend per day, who and what spent, its jobs, the queue. */
export function tenantBody(input: TenantPageInput): string {
  const { tenant, report, settings } = input;
  const limit = effectiveLimit(tenant.monthlyLimitNanos, settings);
  const percent = percentOf(report.spentNanos, limit);
  const ceiling = limitCeiling(tenant.platform, settings);
  const name = tenant.name ?? tenant.externalId;
  const action = `/console/dashboard/tenants/${escapeHtml(tenant.id)}/limit`;
  const daily = input.daily
    .map(
      (d) =>
        `<tr data-day="${d.day}"><td>${d.day}</td><td data-figure="day-spent">${formatUsd(d.costNanos)}</td><td>${d.predictions}</td></tr>`,
    )
    .join("");
  const counts = ["queued", "creating", "running", "succeeded", "failed", "timed_out", "refused", "canceled"]
    .filter((s) => (input.counts[s] ?? 0) > 0)
    .map((s) => `${escapeHtml(s.replace("_", " "))} <strong data-count="${s}">${input.counts[s]}</strong>`)
    .join(" · ");
  return `<p><a href="/console/dashboard">← All tenants</a></p>
<h1>${escapeHtml(name)}</h1>
<p class="muted">${escapeHtml(platformLabel(tenant.platform))} <code>${escapeHtml(tenant.externalId)}</code></p>
<div class="card" id="month">
<p style="margin-top:0">This month (${escapeHtml(input.period)}): <strong data-figure="spent">${formatUsd(report.spentNanos)}</strong> spent of
<strong data-figure="limit">${formatUsd(limit)}</strong>${tenant.monthlyLimitNanos === null ? " (the default)" : ""} — ${percentText(report.spentNanos, percent)}${
    report.heldNanos > 0n
      ? `, <span data-figure="held">${formatUsd(report.heldNanos)}</span> held for running requests`
      : ""
  }. Resets on ${escapeHtml(input.resetsOn)} (UTC).</p>
<div class="meter" aria-hidden="true"><div style="width:${Math.min(100, percent)}%"${percent >= 100 ? ' class="full"' : ""}></div></div>
<form method="post" action="${action}" class="limit-form">
<label for="limit-amount">Monthly limit in US dollars (at most ${formatUsd(ceiling.nanos)}, the operator's ${ceiling.setting})</label>
<div class="row"><input type="text" inputmode="decimal" id="limit-amount" name="amount" value="${escapeHtml(input.form.value ?? "")}" placeholder="${escapeHtml(formatUsd(limit).slice(1))}" autocomplete="off"${input.form.error ? ' aria-invalid="true" aria-describedby="limit-error"' : ""}>
<button class="primary" type="submit" name="action" value="set">Set limit</button>
<button type="submit" name="action" value="default">Back to default</button></div>
${input.form.error ? `<p class="error" role="alert" id="limit-error">${escapeHtml(input.form.error)}</p>` : ""}${
  input.form.note ? `<p class="ok" role="status" id="limit-note">${escapeHtml(input.form.note)}</p>` : ""
}
</form>
</div>
<h2>Spend per day</h2>
${spendChart(input.period, input.daily)}
<details><summary>As a table</summary><div class="table-wrap"><table id="daily-spend"><thead><tr><th>day</th><th>spent</th><th>charges</th></tr></thead><tbody>${
    daily || '<tr><td colspan="3" class="muted">No charges yet.</td></tr>'
  }</tbody></table></div></details>
<section><h2>Top members</h2>${topTable(
    "top-users",
    report.topUsers.map((u) => ({ key: u.userId, costNanos: u.costNanos, predictions: u.predictions })),
    "member",
  )}</section>
<section><h2>Top models</h2>${topTable(
    "top-models",
    report.topModels.map((m) => ({ key: m.model, costNanos: m.costNanos, predictions: m.predictions })),
    "model",
  )}</section>
<h2>Jobs</h2>
<p id="job-counts">${counts || '<span class="muted">No jobs this month.</span>'}</p>
<h3>Queued and running</h3>
${jobTable("active-jobs", input.active, "Nothing queued or running.")}
<h3>Failed, refused and timed out</h3>
${jobTable("failed-jobs", input.failed, "No failures this month.")}
${limitHistory(input.limitChanges)}
${healthSection(input.health)}
<style>.meter{height:.5rem;background:var(--line);border-radius:.25rem;overflow:hidden;margin:.2rem 0 .8rem}
.meter div{height:100%;background:var(--accent)}.meter div.full{background:var(--bad)}
.limit-form .row{display:flex;gap:.5rem;flex-wrap:wrap;margin-top:.3rem}.limit-form input{flex:1 1 8rem;width:auto}</style>`;
}

/** "0%" only when nothing was spent: a small spend reads "under 1%". */
function percentText(spentNanos: bigint, percent: number): string {
  return percent === 0 && spentNanos > 0n ? "under 1%" : `${percent}%`;
}

function topTable(
  id: string,
  rows: { key: string; costNanos: bigint; predictions: number }[],
  what: string,
): string {
  if (rows.length === 0) return `<p class="muted" id="${id}">No charges yet.</p>`;
  return `<div class="table-wrap"><table id="${id}"><thead><tr><th>${what}</th><th>spent</th><th>charges</th></tr></thead><tbody>${rows
    .map(
      (r) =>
        `<tr data-key="${escapeHtml(r.key)}"><td>${escapeHtml(r.key)}</td><td data-figure="spent">${formatUsd(r.costNanos)}</td><td data-figure="charges">${r.predictions}</td></tr>`,
    )
    .join("")}</tbody></table></div>`;
}

function limitHistory(changes: TenantPageInput["limitChanges"]): string {
  if (changes.length === 0) return "";
  const usd = (value: unknown) => {
    const nanos = (value as { limitNanos?: unknown } | null)?.limitNanos;
    return typeof nanos === "string" && /^\d+$/.test(nanos) ? formatUsd(BigInt(nanos)) : "the default";
  };
  return `<h3>Limit changes</h3><ul id="limit-changes">${changes
    .map(
      (c) =>
        `<li>${escapeHtml(formatUtc(c.createdAt))}: ${escapeHtml(usd(c.before))} → ${escapeHtml(usd(c.after))} <span class="muted">by ${escapeHtml(c.actorId)}</span></li>`,
    )
    .join("")}</ul>`;
}
