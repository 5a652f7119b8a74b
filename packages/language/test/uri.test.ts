import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeSegment, displayName, displayUri, encodePath, encodeSegment, normalizeUri, resolveImport } from "../src/uri.js";

/** Whether a string has no lone surrogate (it then has a UTF-8 form). */
const wellFormed = (s: string): boolean => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
/** Whether a path ends with a control character Node's URL parser trims rather than encodes (all but tab, LF, CR). */
const endsWithBareControl = (path: string): boolean => {
  const last = path.charCodeAt(path.length - 1);
  return last < 0x20 && last !== 0x09 && last !== 0x0a && last !== 0x0d;
};
/** Characters that mean something in a URI, or that encoders disagree on, often enough to matter. */
const tricky = fc.constantFrom(
  "#",
  "?",
  "%",
  "%25",
  "%2",
  "%41",
  "%c3%a4",
  "%C3",
  "%FF",
  "%zz",
  "/",
  "(",
  ")",
  "[",
  "]",
  "!",
  "'",
  "*",
  "+",
  "&",
  "=",
  ";",
  ":",
  "@",
  "$",
  ",",
  " ",
  "~",
  "\\",
  "ä",
  "Ω",
  "𝄞",
  "\uD800",
  "\uDC00",
  "é",
);
/** Any string: every code point, lone surrogates and URI syntax included. */
const anyText = fc
  .array(
    fc.oneof(
      tricky,
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 3 }),
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));
/** A file name as it may appear in an import path: well-formed, no `/`, not `.` or `..`. */
const fileName = fc
  .array(fc.oneof(tricky, fc.string({ unit: "binary", minLength: 1, maxLength: 4 })), { minLength: 1, maxLength: 6 })
  .map((parts) => parts.join("").replace(/\//g, "_"))
  .filter((name) => wellFormed(name) && name !== "." && name !== "..");

describe("encodeSegment / decodeSegment", () => {
  it("encodes everything but unreserved characters, in upper-case hex (vscode-uri's form)", () => {
    expect(encodeSegment("catalog (copy) #1?.diffuse")).toBe("catalog%20%28copy%29%20%231%3F.diffuse");
    expect(encodeSegment("100%!'*~-._AZaz09")).toBe("100%25%21%27%2A~-._AZaz09");
    expect(encodeSegment("tiers-ä/𝄞")).toBe("tiers-%C3%A4%2F%F0%9D%84%9E");
  });

  it("turns a lone surrogate into U+FFFD instead of throwing", () => {
    expect(encodeSegment("a\uD800b")).toBe("a%EF%BF%BDb");
  });

  it("leaves escapes that are not UTF-8 as written", () => {
    expect(decodeSegment("%zz%C3%a4%FF%C3%41%E2%82%AC%e2%82")).toBe("%zzä%FF%C3A€%e2%82");
  });

  it("round-trips any well-formed text", () => {
    fc.assert(fc.property(anyText.filter(wellFormed), (s) => decodeSegment(encodeSegment(s)) === s));
  });
});

describe("normalizeUri", () => {
  it.each([
    // VS Code's own spelling is already canonical.
    ["file:///ws/catalog%20%28copy%29.diffuse", "file:///ws/catalog%20%28copy%29.diffuse"],
    ["file:///c%3A/Users/me/a%23b.diffuse", "file:///c%3A/Users/me/a%23b.diffuse"],
    // Node's pathToFileURL and other clients leave some characters as typed.
    ["file:///ws/catalog%20(copy).diffuse", "file:///ws/catalog%20%28copy%29.diffuse"],
    ["file:///ws/tiers-%c3%a4.diffuse", "file:///ws/tiers-%C3%A4.diffuse"],
    ["file:///ws/tiers-ä.diffuse", "file:///ws/tiers-%C3%A4.diffuse"],
    ["file:///C:/ws/x.diffuse", "file:///c%3A/ws/x.diffuse"],
    ["FILE://Server/share/x.diffuse", "file://server/share/x.diffuse"],
    ["file:/ws/x.diffuse", "file:///ws/x.diffuse"],
    // A `%` that starts no escape is a literal percent sign.
    ["file:///ws/100%.diffuse", "file:///ws/100%25.diffuse"],
    ["file:///ws/%zz", "file:///ws/%25zz"],
    // An encoded slash stays inside its segment.
    ["file:///ws/a%2fb", "file:///ws/a%2Fb"],
    ["untitled:Untitled-1", "untitled:Untitled-1"],
    ['git:/ws/x.diffuse?{"ref":"HEAD"}#L1', "git:/ws/x.diffuse?%7B%22ref%22%3A%22HEAD%22%7D#L1"],
    ["https://host/p/x.diffuse?", "https://host/p/x.diffuse"],
    // Plain paths are not URIs; nor is a path after a drive letter.
    ["q#1/a%20b (c).diffuse", "q#1/a%20b (c).diffuse"],
    ["C:/my dir/x.diffuse", "C:/my dir/x.diffuse"],
    // `.` and `..` segments are folded, as an import's are.
    ["file:///ws/a/../x.diffuse", "file:///ws/x.diffuse"],
    ["file:///ws/./%2E/x.diffuse", "file:///ws/x.diffuse"],
    ["file:///../x.diffuse", "file:///x.diffuse"],
    ["./a/../x.diffuse", "x.diffuse"],
    ["../x.diffuse", "../x.diffuse"],
    ["/ws/./q#1/../x.diffuse", "/ws/x.diffuse"],
    ["C:/a/../../x.diffuse", "C:/x.diffuse"],
    // A plain relative path whose first name would read as a scheme keeps `./`.
    ["./v2:x.diffuse", "./v2:x.diffuse"],
    ["a/../v2:x.diffuse", "./v2:x.diffuse"],
  ])("%s", (uri, expected) => {
    expect(normalizeUri(uri)).toBe(expected);
  });

  it("leaves what an import resolves to as it is: an entry file normalised is the key its importers give it", () => {
    const base = fc.oneof(
      anyText,
      anyText.map((s) => `file:///${s}`),
      anyText.map((s) => `/ws/${s}`),
    );
    fc.assert(fc.property(base, anyText, (b, path) => normalizeUri(resolveImport(b, path)) === resolveImport(b, path)));
  });

  it("is idempotent", () => {
    const uri = fc.oneof(
      anyText,
      anyText.map((s) => `file:///${s}`),
      fc.tuple(anyText, anyText, anyText).map(([a, b, c]) => `mem://${a}/${b}?${c}#${a}`),
    );
    fc.assert(fc.property(uri, (u) => normalizeUri(normalizeUri(u)) === normalizeUri(u)));
  });

  it("gives Node's and VS Code's spelling of the same file the same URI", () => {
    fc.assert(
      // Node's pathToFileURL drops control characters it does not encode at the end of a path (the URL parser trims them).
      fc.property(
        fc.array(fileName, { minLength: 1, maxLength: 3 }).filter((names) => !endsWithBareControl(names.join("/"))),
        (names) => {
          const path = `/ws/${names.join("/")}`;
          const vscode = `file://${encodePath(path)}`;
          return normalizeUri(pathToFileURL(path).href) === vscode && normalizeUri(vscode) === vscode && fileURLToPath(vscode) === path;
        },
      ),
    );
  });
});

describe("resolveImport", () => {
  it.each([
    ["file:///p/main.diffuse", "countries.diffuse", "file:///p/countries.diffuse"],
    ["file:///p/main.diffuse", "./lib/catalog.diffuse", "file:///p/lib/catalog.diffuse"],
    ["file:///p/a/main.diffuse", "../catalog.diffuse", "file:///p/catalog.diffuse"],
    ["file:///main.diffuse", "../../x.diffuse", "file:///x.diffuse"],
    ["file:///p/main.diffuse", "/abs/x.diffuse", "file:///abs/x.diffuse"],
    ["mem:///p/main.diffuse", "x.diffuse", "mem:///p/x.diffuse"],
    ["https://host/p/main.diffuse?v=1", "x.diffuse", "https://host/p/x.diffuse"],
    ["file://host", "x.diffuse", "file://host/x.diffuse"],
    ["policies/main.diffuse", "x.diffuse", "policies/x.diffuse"],
    ["main.diffuse", "../x.diffuse", "../x.diffuse"],
    ["/home/u/p/main.diffuse", "lib/./x.diffuse", "/home/u/p/lib/x.diffuse"],
    ["file:///p/main.diffuse", "file:///other/x.diffuse", "file:///other/x.diffuse"],
    ["file:///p/main.diffuse", "file:///other/a%20(b).diffuse", "file:///other/a%20%28b%29.diffuse"],
    // An import path is a file name, taken literally.
    ["file:///p/main.diffuse", "my file.diffuse", "file:///p/my%20file.diffuse"],
    ["file:///p/main.diffuse", "tiers-ä.diffuse", "file:///p/tiers-%C3%A4.diffuse"],
    ["file:///p/main.diffuse", "a#b.diffuse", "file:///p/a%23b.diffuse"],
    ["file:///p/main.diffuse", "a?b.diffuse", "file:///p/a%3Fb.diffuse"],
    ["file:///p/main.diffuse", "100%.diffuse", "file:///p/100%25.diffuse"],
    ["file:///p/main.diffuse", "a%20b.diffuse", "file:///p/a%2520b.diffuse"],
    ["file:///p/main.diffuse", "catalog (copy).diffuse", "file:///p/catalog%20%28copy%29.diffuse"],
    // The base is a URI: its escapes are decoded, then everything is encoded again.
    ["file:///p/d%231/main.diffuse", "lib.diffuse", "file:///p/d%231/lib.diffuse"],
    ["file:///p/my%20dir%20(1)/main.diffuse", "../x (2).diffuse", "file:///p/x%20%282%29.diffuse"],
    ["file:///C:/p/main.diffuse", "x.diffuse", "file:///c%3A/p/x.diffuse"],
    // A plain path is not a URI: nothing is encoded, `#` and `?` are part of names.
    ["p/main.diffuse", "my file.diffuse", "p/my file.diffuse"],
    ["q#1/a?b.diffuse", "100%.diffuse", "q#1/100%.diffuse"],
    // A Windows drive letter is not a scheme: `C:/x` is an absolute path.
    ["file:///c%3A/p/main.diffuse", "D:/lib/my file.diffuse", "file:///d%3A/lib/my%20file.diffuse"],
    ["p/main.diffuse", "C:/lib/my file.diffuse", "C:/lib/my file.diffuse"],
    // A colon is part of a file name unless a scheme (two letters or more) or a drive letter ends with it before `/`.
    ["file:///p/main.diffuse", "v2:x.diffuse", "file:///p/v2%3Ax.diffuse"],
    ["file:///p/main.diffuse", "C:x.diffuse", "file:///p/C%3Ax.diffuse"],
    ["file:///p/main.diffuse", "mem:/q/x.diffuse", "mem:/q/x.diffuse"],
    ["p/main.diffuse", "v2:x.diffuse", "p/v2:x.diffuse"],
    ["main.diffuse", "v2:x.diffuse", "./v2:x.diffuse"],
    ["./v2:main.diffuse", "lib.diffuse", "lib.diffuse"],
  ])("%s + %s", (base, path, expected) => {
    expect(resolveImport(base, path)).toBe(expected);
  });

  it("resolves any file name to the URI of that file, canonically", () => {
    fc.assert(
      fc.property(fileName, fileName, (dir, name) => {
        const uri = resolveImport(`file://${encodePath(`/ws/${dir}/main.diffuse`)}`, name);
        return fileURLToPath(uri) === `/ws/${dir}/${name}` && normalizeUri(uri) === uri && displayName(uri) === name;
      }),
    );
  });

  it("never throws", () => {
    fc.assert(fc.property(anyText, anyText, (base, path) => typeof resolveImport(base, path) === "string"));
  });
});

describe("displayName / displayUri", () => {
  it.each([
    ["file:///p/a%23b.diffuse", "a#b.diffuse", "/p/a#b.diffuse"],
    ["file:///c%3A/p/x%20(1).diffuse", "x (1).diffuse", "c:/p/x (1).diffuse"],
    ["file://host/share/x.diffuse", "x.diffuse", "//host/share/x.diffuse"],
    ["mem:///p/a%23b.diffuse", "a#b.diffuse", "mem:///p/a%23b.diffuse"],
    ["q#1/a?b.diffuse", "a?b.diffuse", "q#1/a?b.diffuse"],
  ])("%s", (uri, name, shown) => {
    expect(displayName(uri)).toBe(name);
    expect(displayUri(uri)).toBe(shown);
  });
});
