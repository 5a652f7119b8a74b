/** Policy test files and the server's test results, as plain data. */

/** The shape of the server's `diffuse.runTests` result. */
export interface TestSummary {
  readonly passed: number;
  readonly failed: number;
  readonly message: string;
  readonly files: readonly {
    readonly uri: string;
    readonly error?: string;
    readonly cases: readonly { readonly name: string; readonly passed: boolean; readonly failures: readonly string[] }[];
  }[];
}

export function isTestSummary(value: unknown): value is TestSummary {
  return (
    typeof value === "object" &&
    value !== null &&
    Array.isArray((value as { files?: unknown }).files) &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Names of the cases of a test file, as the runner names them (`name`, else the order id). */
export function caseNames(text: string): string[] {
  try {
    const json = JSON.parse(text) as { cases?: unknown };
    if (!Array.isArray(json.cases)) return [];
    return json.cases.map((c: unknown, i: number) => {
      const o = typeof c === "object" && c !== null ? (c as { name?: unknown; order?: { id?: unknown } }) : {};
      if (typeof o.name === "string") return o.name;
      if (typeof o.order?.id === "string") return o.order.id;
      return `case ${i + 1}`;
    });
  } catch {
    return [];
  }
}
