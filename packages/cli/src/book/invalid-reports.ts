/**
 * The stderr report of a book's invalid orders: the first `limit` of them in book order,
 * whatever order they were decided in (a book is decided in date order), and a count of
 * the rest. Holds at most `limit` reports, so a book of a million bad orders costs no
 * more than one of fifty.
 */
export class InvalidReports {
  /** Reports kept, in book order: those of the `limit` earliest positions seen. */
  private readonly kept: { readonly position: number; readonly text: string }[] = [];
  private seen = 0;

  constructor(private readonly limit: number) {}

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

  /** The whole stderr text: the kept reports in book order, then a line on the rest (empty when there were none). */
  text(): string {
    let out = this.kept.map((r) => r.text).join("");
    const more = this.seen - this.kept.length;
    if (more > 0) {
      out +=
        `... and ${more} more invalid ${more === 1 ? "order" : "orders"} (the first ${this.kept.length} in the book are listed)\n` +
        `help: every invalid decision, with its errors, is in the output: \`--format jsonl\` and the lines with "outcome":"invalid"\n`;
    }
    return out;
  }
}
