import type { Decision } from "@diffuse/engine";
import { printable } from "../format/decisions.js";

/**
 * The stderr report of a book's invalid orders: the first `limit` of them in book order,
 * whatever order they were decided in (a book is decided in date order), and a count of
 * the rest. Holds at most `limit` reports, so a book of a million bad orders costs no
 * more than one of fifty.
 *
 * A book already in date order is decided in book order: its reports can be listed as
 * they come (`ready`), so a long run shows its first bad orders at once. Any other book's
 * are listed when the run ends (`rest`), when the first in the book are known.
 */
export class InvalidReports {
  /** Reports kept, in book order: those of the `limit` earliest positions seen. */
  private readonly kept: { readonly position: number; readonly text: string }[] = [];
  /** How many of `kept` were listed by `ready` (only when added in book order). */
  private listed = 0;
  private seen = 0;

  /** `inBookOrder`: the reports are added in book order (a book in date order). */
  constructor(
    private readonly limit: number,
    private readonly inBookOrder: boolean,
  ) {}

  /** Adds the report of the order at 0-based book `position`; `text` ends with a newline. */
  add(position: number, text: string): void {
    this.seen++;
    const kept = this.kept;
    const last = kept[kept.length - 1];
    if (kept.length >= this.limit) {
      if (last === undefined || position > last.position) return;
      kept.pop();
    }
    let at = kept.length;
    while (at > 0 && (kept[at - 1] as { readonly position: number }).position > position) at--;
    kept.splice(at, 0, { position, text });
  }

  /** The reports that can be listed now and were not yet: in a book in date order, every one kept so far; otherwise none. */
  ready(): string {
    if (!this.inBookOrder) return "";
    return this.take();
  }

  /** What is left to say when the run ends: the reports not listed yet, in book order, then a line on the rest (empty when there is nothing). */
  rest(): string {
    let out = this.take();
    const more = this.seen - this.kept.length;
    if (more > 0) {
      out +=
        `... and ${more} more invalid ${more === 1 ? "order" : "orders"} (the first ${this.kept.length} in the book are listed)\n` +
        `help: every invalid decision, with its errors, is in the output: \`--format jsonl\` and the lines with "outcome":"invalid"\n`;
    }
    return out;
  }

  private take(): string {
    let out = "";
    for (; this.listed < this.kept.length; this.listed++) out += (this.kept[this.listed] as { readonly text: string }).text;
    return out;
  }
}

/**
 * The stderr report of an invalid order: one line, then a `help:` line for each error that
 * has advice. The id, and the values errors quote from the order, are `printable`: a
 * control character in them cannot break a report into lines of its own.
 */
export function invalidReport(d: Decision, position: number, line: number): string {
  const id = d.order === "" ? "" : ` (\`${printable(d.order)}\`)`;
  const list = d.errors ?? [];
  const errors = list.map((e) => (e.field === "" ? e.message : `\`${e.field}\`: ${e.message}`)).join("; ");
  let help = "";
  for (const e of list) {
    if (e.help === undefined) continue;
    help += list.length === 1 || e.field === "" ? `  help: ${printable(e.help)}\n` : `  help for \`${printable(e.field)}\`: ${printable(e.help)}\n`;
  }
  return `invalid order ${position + 1}${id} at line ${line}: ${printable(errors)}\n${help}`;
}
