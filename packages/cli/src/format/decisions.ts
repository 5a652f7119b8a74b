/**
 * Decisions as text, and the closing summary of a book: counts per outcome, cap
 * utilisation per key and the caps closest to exhaustion.
 */
import { formatGrouped, parseDecimal, type Decision, type OrderError, type Outcome } from "@diffuse/engine";
import { rational as R } from "@diffuse/language";

const OUTCOMES: readonly Outcome[] = ["authorized", "license-required", "prohibited", "invalid"];

/** Control characters, which an order's ids may hold (any JSON string) and a terminal would act on. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;
const ESCAPES: Readonly<Record<string, string>> = { "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * Text from an order (an id, a cap key) as one line of a report: a control character is
 * written as its JSON escape (`\n`, `\u0007`), so a newline in a consignee id cannot start a
 * line of its own (a forged row of a table) nor a carriage return overwrite one.
 */
export function printable(text: string): string {
  return text.replace(CONTROL, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function grouped(decimal: string): string {
  const r = parseDecimal(decimal);
  return r === undefined ? decimal : formatGrouped(r);
}

/** One line per decision: id, outcome with basis or review, charges. */
export function decisionLine(d: Decision): string {
  const parts = [d.order === "" ? "(no id)" : printable(d.order), verdict(d)];
  if (d.alreadyDecided === true) parts.push("[already decided: nothing charged]");
  else for (const c of d.charges) parts.push(`${c.cap}[${printable(c.key)} ${c.window}] +${grouped(c.amount)} = ${grouped(c.after)} of ${grouped(c.limit)}`);
  if (d.outcome === "invalid") parts.push(printable(errorsText(d.errors ?? [])));
  return parts.join("  ");
}

/** An invalid order's errors on one line: `items[0].item: unknown item \`B200\`; ...`. */
export function errorsText(errors: readonly OrderError[]): string {
  return errors.map((e) => (e.field === "" ? e.message : `${e.field}: ${e.message}`)).join("; ");
}

export function verdict(d: Pick<Decision, "outcome" | "basis" | "review">): string {
  switch (d.outcome) {
    case "authorized":
      return `authorized (${d.basis ?? "NLR"})`;
    case "license-required":
      return `license-required (${d.review ?? "case-by-case"})`;
    case "prohibited":
      return "prohibited";
    case "invalid":
      return "invalid";
    default: {
      const never: never = d.outcome;
      return String(never);
    }
  }
}

interface CapState {
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  after: string;
  limit: string;
}

export interface CapUtilisation {
  readonly cap: string;
  readonly key: string;
  readonly window: string;
  readonly used: string;
  readonly limit: string;
  /** Used / limit in percent, one decimal, rounded down ("99.9"). */
  readonly percent: string;
}

/** Per-mille (rounded down) of used over limit, with bigints; undefined for a zero limit. */
function perMille(used: string, limit: string): bigint | undefined {
  const u = parseDecimal(used);
  const l = parseDecimal(limit);
  if (!u || !l || l.num === 0n) return undefined;
  // (u.num/u.den) / (l.num/l.den) * 1000
  return (u.num * l.den * 1000n) / (u.den * l.num);
}

function percentText(pm: bigint | undefined): string {
  if (pm === undefined) return "-";
  return `${pm / 10n}.${pm % 10n}`;
}

/** A percent column's cell: "99.9%", or "-" where there is no percentage (a zero limit). */
export function percentCell(percent: string): string {
  return percent === "-" ? "-" : `${percent}%`;
}

/** Used over limit in percent, one decimal, rounded down ("99.9"); "-" for a zero limit. */
export function utilisationPercent(used: string, limit: string): string {
  return percentText(perMille(used, limit));
}

/**
 * Whether `used` is past `limit` (a cap charged by rules it does not limit; see
 * OVER_LIMIT_NOTE), exactly: a cap a little past its limit reads 100.0% (rounded down),
 * and anything charged to a zero limit is past it.
 */
export function overLimit(used: string, limit: string): boolean {
  const u = parseDecimal(used);
  const l = parseDecimal(limit);
  return u !== undefined && l !== undefined && R.compare(u, l) > 0;
}

/**
 * What some decisions add to a Summary, kept flat (a batch's, until the batch is on disk:
 * a batch another process got in ahead of is decided again, and its first count dropped).
 */
export class SummaryDelta {
  count = 0;
  alreadyDecided = 0;
  /** Already-decided orders decided under another policy text, and those texts' hashes (each once). */
  underOtherPolicy = 0;
  readonly otherPolicies: string[] = [];
  readonly outcomes: Record<Outcome, number> = { authorized: 0, "license-required": 0, prohibited: 0, invalid: 0 };
  /** cap, key, window, after, limit of each charge, in order. */
  readonly charges: string[] = [];

  /** `policies`: the sha256 of each version of the policy being evaluated. */
  constructor(private readonly policies: ReadonlySet<string>) {}

  add(d: Decision): void {
    this.count++;
    this.outcomes[d.outcome]++;
    if (d.alreadyDecided === true) {
      this.alreadyDecided++;
      const sha = d.policy.sha256;
      if (!this.policies.has(sha)) {
        this.underOtherPolicy++;
        if (!this.otherPolicies.includes(sha)) this.otherPolicies.push(sha);
      }
    }
    for (const c of d.charges) this.charges.push(c.cap, c.key, c.window, c.after, c.limit);
  }
}

/**
 * Said under the summary when a cap is past its limit, which the engine allows: a cap
 * limits only the rules that must stay `within` it (docs/engine.md, "Decide blocks").
 * The limit shown is the latest charge's; another order's may be higher (a percent of the
 * capacity it gives, a modifier whose condition it meets), so the cap is not closed to it.
 */
export const OVER_LIMIT_NOTE: readonly string[] = [
  "note: a cap over 100% was charged by orders it does not limit: an exception or status that",
  "  `counts toward` it, or a license charged as granted under presumption of approval;",
  "  an order that must stay `within` it is authorized under it only if it fits under its own",
  "  limit (a percent of the capacity it gives, or raised by a `times` modifier)",
];

export class Summary {
  count = 0;
  invalid = 0;
  alreadyDecided = 0;
  /** Already-decided orders decided under another policy text (an earlier version of the files, another policy). */
  underOtherPolicy = 0;
  /** Those texts' hashes, in the order first met. */
  private readonly otherPolicies: string[] = [];
  readonly outcomes: Record<Outcome, number> = { authorized: 0, "license-required": 0, prohibited: 0, invalid: 0 };
  /** By cap, key and window (nested maps: no joined key string per charge). */
  private readonly caps = new Map<string, Map<string, Map<string, CapState>>>();
  /** The same states in the order first charged (ties in `closest` keep it). */
  private readonly states: CapState[] = [];

  /** Adds the decisions `later` counted (made after this summary's), as if added here one by one. */
  merge(later: SummaryDelta): void {
    this.count += later.count;
    this.invalid += later.outcomes.invalid;
    this.alreadyDecided += later.alreadyDecided;
    this.underOtherPolicy += later.underOtherPolicy;
    for (const h of later.otherPolicies) if (!this.otherPolicies.includes(h)) this.otherPolicies.push(h);
    for (const o of OUTCOMES) this.outcomes[o] += later.outcomes[o];
    const c = later.charges;
    for (let i = 0; i < c.length; i += 5) this.charge(c[i] as string, c[i + 1] as string, c[i + 2] as string, c[i + 3] as string, c[i + 4] as string);
  }

  private charge(cap: string, key: string, window: string, after: string, limit: string): void {
    let keys = this.caps.get(cap);
    if (keys === undefined) {
      keys = new Map();
      this.caps.set(cap, keys);
    }
    let windows = keys.get(key);
    if (windows === undefined) {
      windows = new Map();
      keys.set(key, windows);
    }
    const s = windows.get(window);
    if (s) {
      s.after = after;
      s.limit = limit;
    } else {
      const state = { cap, key, window, after, limit };
      windows.set(window, state);
      this.states.push(state);
    }
  }

  /** Utilisation of every cap, key and window charged in this run, by cap then key. */
  utilisation(): CapUtilisation[] {
    return [...this.states]
      .sort((a, b) => cmp(a.cap, b.cap) || cmp(a.key, b.key) || cmp(a.window, b.window))
      .map((s) => ({ cap: s.cap, key: s.key, window: s.window, used: s.after, limit: s.limit, percent: percentText(perMille(s.after, s.limit)) }));
  }

  /** The `n` cap keys with the highest utilisation. */
  closest(n = 5): CapUtilisation[] {
    const scored = this.states.map((s) => ({ s, pm: perMille(s.after, s.limit) ?? -1n }));
    scored.sort((a, b) => (a.pm < b.pm ? 1 : a.pm > b.pm ? -1 : cmp(a.s.cap, b.s.cap) || cmp(a.s.key, b.s.key)));
    return scored
      .slice(0, n)
      .map(({ s, pm }) => ({ cap: s.cap, key: s.key, window: s.window, used: s.after, limit: s.limit, percent: percentText(pm < 0n ? undefined : pm) }));
  }

  toJson(): unknown {
    return {
      orders: this.count,
      outcomes: this.outcomes,
      alreadyDecided: this.alreadyDecided,
      alreadyDecidedUnderOtherPolicy: this.underOtherPolicy,
      caps: this.utilisation(),
      closestToExhaustion: this.closest(),
    };
  }

  toText(rate?: number, maxRows = 20): string {
    const lines: string[] = [];
    lines.push(
      `${this.count.toLocaleString("en-US")} order${this.count === 1 ? "" : "s"} evaluated${rate ? ` (${rate.toLocaleString("en-US")} orders/s)` : ""}`,
    );
    for (const o of OUTCOMES) lines.push(`  ${o.padEnd(17)} ${this.outcomes[o].toLocaleString("en-US").padStart(10)}`);
    if (this.alreadyDecided > 0) lines.push(`  already decided on the ledger (not charged again): ${this.alreadyDecided.toLocaleString("en-US")}`);
    if (this.underOtherPolicy > 0) {
      const shown = this.otherPolicies
        .slice(0, 3)
        .map((h) => h.slice(0, 12))
        .join(", ");
      const more = this.otherPolicies.length > 3 ? `, and ${this.otherPolicies.length - 3} more` : "";
      lines.push(
        `    of them decided under another policy text: ${this.underOtherPolicy.toLocaleString("en-US")} (sha256 ${shown}${more}); their recorded decisions stand`,
      );
    }
    const rows = this.utilisation();
    if (rows.length > 0) {
      lines.push("", "cap utilisation:");
      const table = rows.slice(0, maxRows).map((r) => [r.cap, r.key, r.window, grouped(r.used), grouped(r.limit), percentCell(r.percent)]);
      lines.push(...alignRows(table));
      if (rows.length > maxRows) lines.push(`  ... and ${rows.length - maxRows} more cap keys`);
      lines.push("", "closest to exhaustion:");
      lines.push(...alignRows(this.closest().map((r) => [r.cap, r.key, r.window, grouped(r.used), grouped(r.limit), percentCell(r.percent)])));
      if (this.states.some((s) => overLimit(s.after, s.limit))) lines.push("", ...OVER_LIMIT_NOTE);
    }
    return `${lines.join("\n")}\n`;
  }
}

/**
 * A utilisation table (cap, key, window, then numbers): columns aligned, the numbers to
 * the right, each cell one line (`printable`). Shared by eval's summary and `ledger show`.
 */
export function alignRows(rows: readonly (readonly string[])[]): string[] {
  const cells = rows.map((r) => r.map(printable));
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return cells.map((r) => `  ${r.map((c, i) => (i >= 3 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ")}`);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
