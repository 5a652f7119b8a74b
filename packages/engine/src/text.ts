/**
 * Flat strings for texts a decision keeps (reason messages, hints).
 *
 * `a + b + ...` builds a rope (a tree of cons strings, one object per join) and is fast;
 * `parts.join("")` copies into one flat string but costs 3-4 times as much for a short
 * message. A decision keeps its messages as long as the ledger keeps the decision, so a
 * kept text should be one flat string: build it with `+`, then read one character,
 * which makes V8 flatten the rope in place (the parts become garbage). Engines that do
 * not flatten on access are still correct, only the text is kept as a rope.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
