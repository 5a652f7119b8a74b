/**
 * HTML for the extension's webviews: decisions as a table, an explanation as a trace,
 * cap utilisation as an SVG bar chart. Pure functions over the engine's and the
 * server's plain data, so they are tested without VS Code. The pages carry no script:
 * the content security policy allows inline styles only.
 */
import { formatGrouped, parseDecimal } from "@diffuse/engine";
import type { Charge, Decision, Explanation, TraceStep } from "@diffuse/engine";

/** One row of the decisions table (the server's evaluation summary has these fields). */
export interface DecisionRow {
  readonly order: string;
  readonly outcome: Decision["outcome"];
  readonly basis?: string;
  readonly review?: Decision["review"];
}

export interface DecisionTable {
  readonly policy: string;
  readonly orders: string;
  readonly message: string;
  readonly decisions: readonly DecisionRow[];
  readonly error?: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:;">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground); padding: 0 1.2em 1.2em; }
  h1 { font-size: 1.3em; font-weight: 600; }
  h2 { font-size: 1.1em; font-weight: 600; margin-top: 1.4em; }
  .meta { color: var(--vscode-descriptionForeground); }
  table { border-collapse: collapse; margin-top: 0.6em; }
  th, td { text-align: left; padding: 3px 12px 3px 0; border-bottom: 1px solid var(--vscode-editorWidget-border, #8884); vertical-align: top; }
  th { font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .outcome { font-weight: 600; }
  .authorized { color: var(--vscode-testing-iconPassed, #388a34); }
  .license-required { color: var(--vscode-editorWarning-foreground, #bf8803); }
  .prohibited, .invalid, .error { color: var(--vscode-errorForeground, #e51400); }
  ul.trace { list-style: none; padding-left: 1.1em; }
  ul.trace li { margin: 2px 0; }
  .applied { font-weight: 600; }
  .skipped { color: var(--vscode-descriptionForeground); }
  .cite { color: var(--vscode-textLink-foreground); font-style: italic; }
  svg text { fill: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: 15px; }
  svg .bar-bg { fill: var(--vscode-editorWidget-border, #8884); }
  svg .bar { fill: var(--vscode-charts-blue, #3794ff); }
  svg .bar.over { fill: var(--vscode-charts-red, #f14c4c); }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

function outcomeCell(outcome: string): string {
  return `<span class="outcome ${escapeHtml(outcome)}">${escapeHtml(outcome)}</span>`;
}

/** The "Evaluate orders" table: one row per decision, in the order they were decided. */
export function decisionsPage(table: DecisionTable): string {
  const head = `<h1>Decisions</h1>
<p class="meta">Policy <code>${escapeHtml(table.policy)}</code>, orders <code>${escapeHtml(table.orders)}</code></p>`;
  if (table.error !== undefined) return page("Decisions", `${head}\n<p class="error">${escapeHtml(table.error)}</p>`);
  const rows = table.decisions
    .map(
      (d) =>
        `<tr><td>${escapeHtml(d.order)}</td><td>${outcomeCell(d.outcome)}</td><td>${escapeHtml(d.basis ?? "")}</td><td>${escapeHtml(d.review ?? "")}</td></tr>`,
    )
    .join("\n");
  return page(
    "Decisions",
    `${head}
<p class="summary">${escapeHtml(table.message)}</p>
<table class="decisions">
<thead><tr><th>Order</th><th>Outcome</th><th>Basis</th><th>Review</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`,
  );
}

function chargesTable(charges: readonly Charge[]): string {
  if (charges.length === 0) return `<p class="meta">No cap was charged.</p>`;
  const rows = charges
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.cap)}</td><td>${escapeHtml(c.key)}</td><td>${escapeHtml(c.window)}</td><td class="num">${grouped(c.amount)}</td><td class="num">${grouped(c.before)}</td><td class="num">${grouped(c.after)}</td><td class="num">${grouped(c.limit)}</td></tr>`,
    )
    .join("\n");
  return `<table class="charges">
<thead><tr><th>Cap</th><th>Key</th><th>Window</th><th>Amount</th><th>Before</th><th>After</th><th>Limit</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

function grouped(decimal: string): string {
  const value = parseDecimal(decimal);
  return escapeHtml(value === undefined ? decimal : formatGrouped(value));
}

function traceList(steps: readonly TraceStep[]): string {
  if (steps.length === 0) return "";
  const items = steps
    .map((s) => {
      const mark = s.applied ? "&#10003;" : "&#8211;";
      const cite = s.cite !== undefined ? ` <span class="cite">${escapeHtml(s.cite)}</span>` : "";
      const children = s.children !== undefined ? traceList(s.children) : "";
      // A rule with nothing after its name (`authorize AIA`) has an empty detail.
      const detail = s.detail === "" ? "" : `: ${escapeHtml(s.detail)}`;
      return `<li class="${s.applied ? "applied" : "skipped"}">${mark} <code>${escapeHtml(s.rule)}</code> (${escapeHtml(s.kind)})${detail}${cite}${children}</li>`;
    })
    .join("\n");
  return `<ul class="trace">\n${items}\n</ul>`;
}

/** "Explain order": the decision, its reasons with citations, the caps it charged, and every rule consulted. */
export function explanationPage(explanation: Explanation): string {
  const d = explanation.decision;
  const basis = d.basis !== undefined ? ` under <code>${escapeHtml(d.basis)}</code>` : "";
  const review = d.review !== undefined ? `, review ${escapeHtml(d.review)}` : "";
  const reasons = d.reasons
    .map(
      (r) =>
        `<li><code>${escapeHtml(r.rule)}</code>: ${escapeHtml(r.message)}${r.cite !== undefined ? ` <span class="cite">${escapeHtml(r.cite)}</span>` : ""}</li>`,
    )
    .join("\n");
  const errors = (d.errors ?? []).map((e) => `<li><code>${escapeHtml(e.field)}</code>: ${escapeHtml(e.message)}</li>`).join("\n");
  const obligations = (d.obligations ?? []).map((o) => `<li>${escapeHtml(o)}</li>`).join("\n");
  const hints = (d.hints ?? []).map((h) => `<li>${escapeHtml(h)}</li>`).join("\n");
  const section = (title: string, items: string): string => (items === "" ? "" : `<h2>${title}</h2>\n<ul>\n${items}\n</ul>`);
  return page(
    `Order ${d.order}`,
    `<h1>Order <code>${escapeHtml(d.order)}</code>: ${outcomeCell(d.outcome)}${basis}${review}</h1>
<p class="meta">Policy ${escapeHtml(d.policy.name)}, version ${escapeHtml(d.policy.version)}</p>
${section("Errors", errors)}
${section("Reasons", reasons)}
${section("Obligations", obligations)}
${section("What would change it", hints)}
<h2>Caps charged</h2>
${chargesTable(d.charges)}
<h2>Rules consulted</h2>
${traceList(explanation.trace)}`,
  );
}

/** Usage of one cap for one key in one window, after the whole order book. */
export interface Utilisation {
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  readonly used: string;
  readonly limit: string;
}

/** The last charge of each (cap, key, window) tells its usage after the book: decisions come in date order. */
export function utilisationOf(decisions: Iterable<Decision>): Utilisation[] {
  const byKey = new Map<string, Utilisation>();
  for (const d of decisions) {
    for (const c of d.charges) {
      byKey.set(`${c.cap}\u0000${c.key}\u0000${c.window}`, { cap: c.cap, key: c.key, window: c.window, used: c.after, limit: c.limit });
    }
  }
  return [...byKey.values()].sort((a, b) =>
    a.cap !== b.cap ? (a.cap < b.cap ? -1 : 1) : a.key !== b.key ? (a.key < b.key ? -1 : 1) : a.window < b.window ? -1 : 1,
  );
}

/** used / limit in hundredths of a percent, exactly; undefined when either is not a number or the limit is zero. */
export function shareBasisPoints(used: string, limit: string): number | undefined {
  const u = parseDecimal(used);
  const l = parseDecimal(limit);
  if (u === undefined || l === undefined || l.num === 0n) return undefined;
  return Number((u.num * l.den * 10_000n) / (u.den * l.num));
}

/** "Show cap utilisation": one horizontal bar per cap and key, filled to its share of the limit. */
export function utilisationPage(title: string, rows: readonly Utilisation[]): string {
  if (rows.length === 0) {
    return page("Cap utilisation", `<h1>Cap utilisation</h1>\n<p class="meta">${escapeHtml(title)}</p>\n<p>No order charged any cap.</p>`);
  }
  const labelWidth = 260;
  const barWidth = 360;
  const rowHeight = 26;
  const height = rows.length * rowHeight + 10;
  const bars = rows
    .map((r, i) => {
      const y = i * rowHeight + 4;
      const bp = shareBasisPoints(r.used, r.limit);
      const fill = bp === undefined ? 0 : Math.min(bp, 10_000) / 10_000;
      const percent = bp === undefined ? "?" : `${(bp / 100).toFixed(2)} %`;
      const label = `${r.cap} · ${r.key}`;
      return `<g class="row" data-cap="${escapeHtml(r.cap)}" data-key="${escapeHtml(r.key)}">
  <title>${escapeHtml(`${r.cap} for ${r.key} (${r.window}): ${grouped(r.used)} of ${grouped(r.limit)}`)}</title>
  <text x="0" y="${y + 15}">${escapeHtml(label.length > 38 ? `${label.slice(0, 37)}…` : label)}</text>
  <rect class="bar-bg" x="${labelWidth}" y="${y}" width="${barWidth}" height="18" rx="2"/>
  <rect class="bar${bp !== undefined && bp > 10_000 ? " over" : ""}" x="${labelWidth}" y="${y}" width="${(fill * barWidth).toFixed(1)}" height="18" rx="2"/>
  <text x="${labelWidth + barWidth + 8}" y="${y + 15}">${escapeHtml(percent)}</text>
</g>`;
    })
    .join("\n");
  const table = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.cap)}</td><td>${escapeHtml(r.key)}</td><td>${escapeHtml(r.window)}</td><td class="num">${grouped(r.used)}</td><td class="num">${grouped(r.limit)}</td></tr>`,
    )
    .join("\n");
  return page(
    "Cap utilisation",
    `<h1>Cap utilisation</h1>
<p class="meta">${escapeHtml(title)}</p>
<svg class="chart" viewBox="0 0 ${labelWidth + barWidth + 80} ${height}" width="100%" style="max-width: ${(labelWidth + barWidth + 80) * 1.5}px" role="img" aria-label="usage per cap and key">
${bars}
</svg>
<table class="utilisation">
<thead><tr><th>Cap</th><th>Key</th><th>Window</th><th>Used</th><th>Limit</th></tr></thead>
<tbody>
${table}
</tbody>
</table>`,
  );
}
