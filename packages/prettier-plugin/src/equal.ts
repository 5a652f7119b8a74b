/**
 * The soundness relation: two trees are the same program when they are equal after
 * dropping source positions and trivia.
 */

/** Properties that are positions or trivia, not meaning. */
function isIgnoredKey(key: string): boolean {
  return key === "range" || key.endsWith("Range") || key === "uri" || key === "comments";
}

/**
 * Where two trees first differ (a property path such as `declarations[2].clauses[0].value.raw`),
 * ignoring ranges, the file URI and comments; undefined when they are the same.
 */
export function firstAstDifference(a: unknown, b: unknown, at = "$"): string | undefined {
  if (a === b) return undefined;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return at;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return at;
    if (a.length !== b.length) return `${at}.length`;
    for (let i = 0; i < a.length; i++) {
      const d = firstAstDifference(a[i], b[i], `${at}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const key of keys) {
    if (isIgnoredKey(key)) continue;
    // An optional property that is absent and one that is `undefined` mean the same.
    const d = firstAstDifference(ra[key], rb[key], `${at}.${key}`);
    if (d !== undefined) return d;
  }
  return undefined;
}

/** Whether two syntax trees are the same ignoring ranges and trivia. */
export function astEqualIgnoringRanges(a: unknown, b: unknown): boolean {
  return firstAstDifference(a, b) === undefined;
}
