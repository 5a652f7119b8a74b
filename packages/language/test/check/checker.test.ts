/** Focused checker behaviour beyond the one-per-code fixtures. */
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { check } from "../../src/check/checker.js";
import { checkFiles, checkText, load, loadSync } from "../../src/check/load.js";
import type { Diagnostic } from "../../src/diagnostic.js";

const URI = "file:///p/main.diffuse";

function diags(text: string): (Diagnostic & { text: string })[] {
  return checkText(text, URI).diagnostics.map((d) => ({ ...d, text: text.slice(d.range.start, d.range.end) }));
}

function codes(text: string): string[] {
  return diags(text).map((d) => `${d.code} ${d.text}`);
}

const CONTEXT = `
group tier1 = { US GB }
group tier3 = { CN }
item H100 { tpp 15_832 TPP }
class advanced_ic { when chip }
cap LPP_limit { limit 26_900_000 TPP  per consignee  window calendar year }
exception LPP { when destination in tier1  counts toward nothing }
`;

describe("names", () => {
  it("rejects names of the wrong kind", () => {
    expect(codes(`${CONTEXT}exception X { within tier1  counts toward nothing }`)).toEqual(["DF2004 tier1"]);
    expect(codes(`${CONTEXT}decide d for advanced_ic { authorize H100 }`)).toEqual(["DF2004 H100"]);
    expect(codes(`${CONTEXT}decide d for tier1 { authorize LPP }`)).toEqual(["DF2004 tier1"]);
    expect(codes(`${CONTEXT}cap c { limit 2 x LPP_limit  per global  window all time }`)).toEqual(["DF2004 LPP_limit"]);
  });

  it("suggests the closest name of the right kind with a fix", () => {
    const [d] = diags(`${CONTEXT}decide d for advanced_ic { authorize LLP }`);
    expect(d).toMatchObject({ code: "DF2001", message: "unknown exception or status `LLP`", help: "did you mean `LPP`?" });
    expect(d?.fixes?.[0]?.edits[0]?.newText).toBe("LPP");
    expect(codes(`${CONTEXT}decide d for advanced_ics { authorize NLR }`)).toEqual(["DF2001 advanced_ics"]);
    expect(diags(`${CONTEXT}decide d for advanced_ics { authorize NLR }`)[0]?.help).toBe("did you mean `advanced_ic`?");
  });

  it("tells a country code written without braces from a misspelt group", () => {
    // `us` is a group, but `US` here is the country: the braces are what is missing.
    const [d] = diags(`group us = { US }\nexception E { when destination in US  counts toward nothing }`);
    expect(d).toMatchObject({
      code: "DF2001",
      message: "unknown group `US`",
      help: "`US` (United States) is a country code: a set of countries is written in braces, `{ US }`",
    });
    expect(codes(`group g = all - GB`)).toEqual(["DF2001 GB"]);
    // Not a country code: the usual did-you-mean.
    expect(diags(`group tier2 = { MY }\ngroup g = tier22`)[0]?.help).toBe("did you mean `tier2`?");
  });

  it("knows NLR and rejects declaring it", () => {
    expect(codes(`${CONTEXT}decide d for advanced_ic { authorize NLR }`)).toEqual([]);
    expect(codes(`exception NLR { counts toward nothing }`)).toEqual(["DF2003 NLR"]);
  });

  it("takes `authorize NLR` as the built-in even when another kind of declaration is named NLR", () => {
    expect(codes(`${CONTEXT}group NLR = { US }\ndecide d for advanced_ic { authorize NLR when destination in NLR }`)).toEqual([]);
  });

  it("reports an item defined in terms of itself across files in the file that declares it", () => {
    const files = new Map([
      [URI, `import "b.diffuse"\nitem A { tpp 1 x B }`],
      ["file:///p/b.diffuse", `item B { tpp 2 x A }`],
    ]);
    const result = checkFiles(files, URI);
    const cycles = result.diagnostics.filter((d) => d.code === "DF2008");
    expect(cycles).toHaveLength(1);
    const d = cycles[0] as Diagnostic;
    const text = files.get(d.uri)?.slice(d.range.start, d.range.end);
    expect(`${d.uri} ${text}`).toMatch(/^file:\/\/\/p\/(main|b)\.diffuse [AB]$/);
    expect(d.message).toBe(`item \`${text}\` is defined in terms of itself`);
  });

  it("names the country in messages and suggests codes", () => {
    const [d] = diags(`group g = { EL }`);
    expect(d).toMatchObject({ code: "DF2002", help: "did you mean `GR` (Greece)?" });
    expect(codes(`group g = { XK KH }`)).toEqual([]);
    // Malformed codes are syntax errors; the checker does not report them again.
    expect(codes(`group g = { us USA }`).filter((c) => c.startsWith("DF2"))).toEqual([]);
  });

  it("reports a duplicate in another file with the first as related location", () => {
    const files = new Map([
      [URI, `import "lib.diffuse"\ngroup tier1 = { US }`],
      ["file:///p/lib.diffuse", `group tier1 = { GB }`],
    ]);
    const result = checkFiles(files, URI);
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      code: "DF2003",
      uri: URI,
      message: "`tier1` is already declared in `lib.diffuse`",
      related: [{ uri: "file:///p/lib.diffuse" }],
    });
  });

  it("allows a country twice when its dated periods do not overlap", () => {
    expect(codes(`group g = { KH until 2020-01-01 KH from 2024-01-01 }`)).toEqual([]);
    expect(codes(`group g = { KH until 2025-01-01 KH from 2024-01-01 }`)).toEqual(["DF4009 KH"]);
    expect(codes(`group g = { KH from 2025-01-01 until 2024-01-01 }`)).toEqual(["DF4002 2024-01-01"]);
  });

  it("reports a repeated country whichever of the two has dates out of order", () => {
    // The backwards span is empty, but the country is listed twice all the same.
    expect(codes(`group g = { US from 2025-06-01 until 2025-01-01 US }`).sort()).toEqual(["DF4002 2025-01-01", "DF4009 US"]);
    expect(codes(`group g = { US US from 2025-06-01 until 2025-01-01 }`).sort()).toEqual(["DF4002 2025-01-01", "DF4009 US"]);
    expect(codes(`group g = { US from 2025-06-01 until 2025-06-01 US from 2025-01-01 until 2026-01-01 }`).sort()).toEqual(["DF4002 2025-06-01", "DF4009 US"]);
  });
});

describe("units and contexts", () => {
  it("rejects mixing units", () => {
    expect(codes(`${CONTEXT}exception X { when amount >= 7 %  counts toward nothing }`)).toEqual(["DF3001 7 %"]);
    expect(codes(`${CONTEXT}exception X { when quantity > 5 TPP  counts toward nothing }`)).toEqual(["DF3001 5 TPP"]);
    expect(codes(`class c { when density >= 5 TPP }`)).toEqual(["DF3001 5 TPP"]);
    expect(codes(`class c { when operations >= 1e26 }`)).toEqual(["DF3001 1e26"]);
    expect(codes(`item X { tpp 100 }`)).toEqual(["DF3001 100"]);
    expect(codes(`cap c { limit 7 %  per consignee  window all time }`)).toEqual(["DF3001 7 %"]);
    expect(codes(`cap c { limit 1e26 ops  per consignee  window all time }`)).toEqual(["DF3001 1e26 ops"]);
    expect(codes(`cap c { limit 5 TPP  per consignee  window rolling 5 TPP }`)).toEqual(["DF3001 5 TPP"]);
    expect(codes(`${CONTEXT}cap c { per consignee  schedule { through 2025-01-01 limit 5 TPP  through 2026-01-01 limit 5 units } }`)).toEqual([
      "DF3001 5 units",
    ]);
  });

  it("offers to add a missing unit", () => {
    const [d] = diags(`item X { tpp 100 }`);
    expect(d?.fixes?.[0]).toMatchObject({ title: "add the unit `TPP`", edits: [{ newText: " TPP" }] });
  });

  it("keeps line facts in classes and order facts in rules", () => {
    expect(codes(`${CONTEXT}exception X { when tpp >= 5 TPP and chip  counts toward nothing }`)).toEqual(["DF3002 tpp", "DF3002 chip"]);
    expect(
      codes(`${CONTEXT}class k { when amount >= 5 TPP or consignee has S or item is advanced_ic or within LPP_limit }\nstatus S { counts toward nothing }`),
    ).toEqual(["DF3002 amount", "DF3002 consignee", "DF3002 item", "DF3002 within"]);
    expect(codes(`${CONTEXT}cap c { limit 5 TPP  per consignee  window all time  when within LPP_limit and destination in tier1 }`)).toEqual([]);
    expect(codes(`class k { when date >= 2025-01-01 and true }`)).toEqual([]);
  });

  it("requires a plain positive times factor", () => {
    expect(codes(`cap c { limit 5 TPP  per consignee  window all time  times 0 when true }`)).toEqual(["DF3003 0"]);
    expect(codes(`cap c { limit 5 TPP  per consignee  window all time  times 1.5 when true }`)).toEqual([]);
    const m = checkText(`cap c { limit 5 TPP  per consignee  window all time  times 2 when true }`, URI).model;
    expect(m.caps.get("c")?.modifiers[0]?.factor).toEqual({ num: 2n, den: 1n });
  });

  it("requires whole rolling periods", () => {
    expect(codes(`cap c { limit 5 TPP  per consignee  window rolling 1.5 years }`)).toEqual(["DF3005 1.5 years"]);
  });
});

describe("dates", () => {
  it("rejects impossible dates everywhere", () => {
    expect(codes(`group g = { US from 2025-13-01 }`)).toEqual(["DF3004 2025-13-01"]);
    expect(diags(`group g = { US from 2025-13-01 }`)[0]?.help).toBe("months run from 01 to 12");
    expect(codes(`group g = { US from 2024-02-29 }`)).toEqual([]);
    expect(codes(`${CONTEXT}exception X { when date < 2025-04-31  counts toward nothing }`)).toEqual(["DF3004 2025-04-31"]);
  });

  it("orders header and window dates", () => {
    expect(codes(`policy "P" { version "1"  effective 2025-05-13  until 2025-05-13 }`)).toEqual(["DF4002 2025-05-13"]);
    expect(codes(`cap c { limit 5 TPP  per consignee  window 2025-12-31 .. 2025-01-01 }`)).toEqual(["DF4002 2025-01-01"]);
    expect(codes(`cap c { limit 5 TPP  per consignee  window 2025-01-01 .. 2025-01-01 }`)).toEqual([]);
  });

  it("names a country and a date when disjoint groups overlap", () => {
    const text = `policy "P" { version "1"  effective 2025-01-13 }
group d5 = { CN KH until 2026-02-03 }
group tier2 = { MY KH from 2026-01-01 }
group later = { CN from 2027-01-01 }
disjoint d5, tier2
disjoint tier2, later`;
    const ds = diags(text);
    expect(ds.map((d) => d.message)).toEqual(["`d5` and `tier2` overlap: `KH` (Cambodia) is in both on 2026-01-01"]);
    const text2 = `policy "P" { version "1"  effective 2025-01-13 }
group a = { US GB }
group b = all - { US }
disjoint a, b`;
    expect(diags(text2)[0]?.message).toBe("`a` and `b` overlap: `GB` (United Kingdom) is in both on 2025-01-13");
  });
});

describe("caps", () => {
  it("accepts every key and reports a key without consignee for percent caps", () => {
    expect(codes(`cap c { limit 7 % of capacity  per consignee  window all time }`)).toEqual([]);
    expect(codes(`cap c { limit 7 % of capacity  per headquarters x destination  window all time }`)).toEqual(["DF4011 per headquarters x destination"]);
    expect(codes(`cap c { limit 1 TPP  per consignee x consignee  window all time }`)).toEqual(["DF4015 consignee"]);
  });

  it("reports a cap whose conditions test the cap itself, directly or through other caps", () => {
    // Deciding such a cap would test it forever (the engine ran out of stack).
    expect(codes(`cap a { limit 1 TPP  per consignee  window all time  when within a }`)).toEqual(["DF2008 within a"]);
    expect(
      codes(`cap a { limit 1 TPP  per consignee  window all time  when not within b }
cap b { limit 1 TPP  per consignee  window all time  times 2 when destination in { US } or within a }`),
    ).toEqual(["DF2008 within a"]);
    expect(
      codes(`cap a { limit 1 TPP  per consignee  window all time  when within b }
cap b { limit 1 TPP  per consignee  window all time  when within c }
cap c { limit 1 TPP  per consignee  window all time }`),
    ).toEqual([]);
  });

  it("reports both a missing key and a missing window", () => {
    expect(codes(`cap c { limit 1 TPP }`)).toEqual(["DF4004 c", "DF4005 c"]);
    expect(codes(`cap c { per global  window all time  schedule { through 2025-01-01 limit 1 TPP } }`)).toEqual(["DF4007 window all time"]);
  });
});

describe("decide", () => {
  it("reports rules after an unconditional prohibit, with the shadowing rule related", () => {
    const text = `${CONTEXT}decide d for advanced_ic {
  prohibit when destination in tier3
  prohibit
  authorize LPP
  license review case-by-case
}`;
    const ds = diags(text);
    expect(ds.map((d) => `${d.code} ${d.text}`)).toEqual(["DF4008 authorize LPP", "DF4008 license review case-by-case"]);
    const related = ds[0]?.related?.[0];
    expect(text.slice(related?.range.start, related?.range.end)).toBe("prohibit");
    expect(ds[0]?.severity).toBe("warning");
  });

  it("does not treat conditional or authorize rules as shadowing", () => {
    expect(codes(`${CONTEXT}decide d for advanced_ic { authorize LPP  license when destination in tier3 review case-by-case  prohibit }`)).toEqual([]);
    expect(codes(`${CONTEXT}decide d for advanced_ic { authorize NLR when destination in tier1  prohibit }`)).toEqual([]);
  });

  it("treats an unconditional `authorize NLR` as shadowing: NLR always authorizes", () => {
    expect(codes(`${CONTEXT}decide d for advanced_ic { authorize NLR  prohibit }`)).toEqual(["DF4008 prohibit"]);
  });

  it("treats an unconditional license without `otherwise` as shadowing: no matching case means case-by-case", () => {
    const text = `${CONTEXT}decide d for advanced_ic {
  license {
    review presumption of approval when destination in tier1
  }
  authorize LPP
}`;
    expect(codes(text)).toEqual(["DF4008 authorize LPP"]);
  });

  it("reports review cases after otherwise", () => {
    const text = `${CONTEXT}decide d for advanced_ic {
  license {
    review case-by-case otherwise
    review presumption of denial when destination in tier3
  }
}`;
    expect(codes(text)).toEqual(["DF4008 review presumption of denial when destination in tier3"]);
  });
});

describe("loader", () => {
  it("loads through an async reader, parsing each file once", async () => {
    const files: Record<string, string> = {
      "file:///p/main.diffuse": `policy "P" { version "1"  effective 2025-01-01 }\nimport "lib/a.diffuse"\nimport "lib/b.diffuse"`,
      "file:///p/lib/a.diffuse": `import "b.diffuse"\ngroup a = b`,
      "file:///p/lib/b.diffuse": `group b = { US }`,
    };
    const reads: string[] = [];
    const program = await load("file:///p/main.diffuse", async (uri) => {
      reads.push(uri);
      return files[uri];
    });
    expect(reads.sort()).toEqual(Object.keys(files).sort());
    expect([...program.files.keys()]).toEqual(["file:///p/main.diffuse", "file:///p/lib/a.diffuse", "file:///p/lib/b.diffuse"]);
    expect(program.diagnostics).toEqual([]);
  });

  it("turns a failing reader into a missing-import diagnostic", async () => {
    const program = await load("file:///p/main.diffuse", async (uri) => {
      if (uri.endsWith("main.diffuse")) return `import "x.diffuse"`;
      throw new Error("EACCES");
    });
    expect(program.diagnostics.map((d) => d.code)).toEqual(["DF2005"]);
    const missing = await load("file:///nowhere.diffuse", async () => undefined);
    expect(missing.diagnostics.map((d) => d.code)).toEqual(["DF2005"]);
  });

  it("names a longer cycle in order", () => {
    const files = new Map([
      ["file:///p/main.diffuse", `import "a.diffuse"`],
      ["file:///p/a.diffuse", `import "b.diffuse"`],
      ["file:///p/b.diffuse", `import "c.diffuse"`],
      ["file:///p/c.diffuse", `import "a.diffuse"`],
    ]);
    const result = checkFiles(files, "file:///p/main.diffuse");
    expect(result.diagnostics.map((d) => [d.code, d.uri, d.message])).toEqual([
      ["DF2006", "file:///p/c.diffuse", "import cycle: `a.diffuse` -> `b.diffuse` -> `c.diffuse` -> `a.diffuse`"],
    ]);
  });

  it("reports a file importing itself", () => {
    expect(codes(`import "main.diffuse"`)).toEqual(['DF2006 "main.diffuse"']);
  });

  describe("an entry spelled otherwise than its imports spell it", () => {
    // lib.diffuse imports the entry back: one file, one cycle, whatever the entry's spelling.
    const lib = `import "p.diffuse"\ngroup g = { US }`;
    const main = `policy "P" { version "1"  effective 2025-01-01 }\nimport "lib.diffuse"\nitem H100 { tpp 15_832 TPP }`;

    it.each([
      ["p.diffuse", "p.diffuse"],
      ["./p.diffuse", "p.diffuse"],
      ["a/../p.diffuse", "p.diffuse"],
      ["/w/./a/../p.diffuse", "/w/p.diffuse"],
      ["file:///w/a/../p.diffuse", "file:///w/p.diffuse"],
      ["file:/w/./p.diffuse", "file:///w/p.diffuse"],
    ])("%s is read once, as %s", async (entry, key) => {
      const dir = key.slice(0, key.length - "p.diffuse".length);
      const files = new Map([
        [key, main],
        [`${dir}lib.diffuse`, lib],
      ]);
      const reads: string[] = [];
      const program = await load(entry, async (uri) => {
        reads.push(uri);
        return files.get(uri);
      });
      expect(reads).toEqual([key, `${dir}lib.diffuse`]);
      expect(program.entry).toBe(key);
      const result = check(program);
      expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
        "DF2006 import cycle: `p.diffuse` -> `lib.diffuse` -> `p.diffuse`",
        "DF2009 `p.diffuse` has its own policy header, which is ignored here",
      ]);
      expect(
        checkFiles(
          new Map([
            [entry, main],
            [`${dir}lib.diffuse`, lib],
          ]),
          entry,
        ).diagnostics.map((d) => d.code),
      ).toEqual(["DF2006", "DF2009"]);
    });

    it("a file: URI another client encodes otherwise (`(` as typed)", () => {
      const files = new Map([
        ["file:///w/my (p).diffuse", main.replace("lib.diffuse", "l.diffuse")],
        ["file:///w/l.diffuse", `import "my (p).diffuse"`],
      ]);
      const program = loadSync("file:///w/my (p).diffuse", (uri) => files.get(decodeURIComponent(uri)));
      expect([...program.files.keys()]).toEqual(["file:///w/my%20%28p%29.diffuse", "file:///w/l.diffuse"]);
      expect(program.diagnostics.map((d) => d.code)).toEqual(["DF2006"]);
    });
  });

  describe("a colon in an import path", () => {
    const read = (files: Record<string, string>) => (uri: string) => files[uri];

    it("is part of a file name unless it ends a scheme followed by `/` (a URI) or a drive letter followed by `/`", () => {
      const program = loadSync(
        "file:///w/p.diffuse",
        read({ "file:///w/p.diffuse": `import "ab:c.diffuse"\nimport "a:b.diffuse"\nimport "file:///o/x.diffuse"\nimport "C:/o/y.diffuse"` }),
      );
      expect(program.edges.map((e) => e.target)).toEqual([
        "file:///w/ab%3Ac.diffuse",
        "file:///w/a%3Ab.diffuse",
        "file:///o/x.diffuse",
        "file:///c%3A/o/y.diffuse",
      ]);
    });

    it("under plain paths, keeps a name that would read as a scheme a file name (`./ab:c.diffuse`), and its own imports beside it", () => {
      const files = { "p.diffuse": `import "ab:c.diffuse"`, "./ab:c.diffuse": `import "lib.diffuse"\ngroup c = g`, "lib.diffuse": `group g = { US }` };
      const program = loadSync("p.diffuse", read(files));
      expect([...program.files.keys()]).toEqual(["p.diffuse", "./ab:c.diffuse", "lib.diffuse"]);
      expect(program.diagnostics).toEqual([]);
      // As the entry: `ab:c.diffuse` itself is a URI (scheme `ab`), `./ab:c.diffuse` is the file.
      expect([...loadSync("./ab:c.diffuse", read(files)).files.keys()]).toEqual(["./ab:c.diffuse", "lib.diffuse"]);
    });

    it("says how a path it cannot read was taken", () => {
      const program = loadSync(
        "/w/p.diffuse",
        read({ "/w/p.diffuse": `import "C:lib.diffuse"\nimport "ab:c.diffuse"\nimport "/o/x.diffuse"\nimport "file:///o/x.diffuse"` }),
      );
      expect(program.diagnostics.map((d) => d.help)).toEqual([
        "the path is relative to this file and resolves to `/w/C:lib.diffuse`; a colon is part of a file name unless a drive letter (`C:/`) or a URI scheme (`file:/`) ends with it followed by `/`",
        "the path is relative to this file and resolves to `/w/ab:c.diffuse`; a colon is part of a file name unless a drive letter (`C:/`) or a URI scheme (`file:/`) ends with it followed by `/`",
        "the path is absolute: `/o/x.diffuse`",
        "the path is a URI: `/o/x.diffuse`",
      ]);
    });
  });

  describe("file names that URIs spell differently", () => {
    // Names with characters that mean something in a URI (`#` a fragment, `?` a query, `%`
    // an escape) or that editors percent-encode. Written here rather than as fixture files:
    // `?` and `#` in file names break checkouts on some systems.
    const NAMES = [
      "a#b.diffuse",
      "a?b.diffuse",
      "100%.diffuse",
      "a%20b.diffuse",
      "my catalog.diffuse",
      "catalog (copy).diffuse",
      "tiers-ä.diffuse",
      "it's!*.diffuse",
    ];
    const imports = NAMES.map((name, i) => [`import "${name}"`, `group g${i} = { US }`] as const);
    const lib = new Map(NAMES.map((name, i) => [name, imports[i]?.[1] ?? ""]));

    /** Reads a file URI the way the Node host does: through Node's own decoder, not ours. */
    const reader =
      (dir: string, files: ReadonlyMap<string, string>) =>
      async (uri: string): Promise<string | undefined> => {
        const path = fileURLToPath(uri);
        return path.startsWith(dir) ? files.get(path.slice(dir.length)) : undefined;
      };

    it("reads each imported file under a file: URI, in directories named so too", async () => {
      for (const dir of ["/p/", "/p/q#1 (x)?%/"]) {
        const files = new Map([["main.diffuse", imports.map(([line]) => line).join("\n")], ...lib]);
        const entry = pathToFileURL(`${dir}main.diffuse`).href;
        const program = await load(entry, reader(dir, files));
        expect(program.diagnostics).toEqual([]);
        expect([...program.files.keys()].map((u) => fileURLToPath(u))).toEqual([`${dir}main.diffuse`, ...NAMES.map((n) => `${dir}${n}`)]);
        expect(check(program).diagnostics).toEqual([]);
      }
    });

    it("reads them under plain paths (the CLI's), where nothing is encoded", () => {
      for (const dir of ["", "q#1 (x)?%/"]) {
        const files = new Map([[`${dir}main.diffuse`, imports.map(([line]) => line).join("\n")], ...[...lib].map(([n, t]) => [`${dir}${n}`, t] as const)]);
        const result = checkFiles(files, `${dir}main.diffuse`);
        expect(result.diagnostics).toEqual([]);
      }
    });

    it("names them as written in cycles and missing imports", async () => {
      const files = new Map([
        ["main.diffuse", `import "a#b.diffuse"\nimport "100%.diffuse"`],
        ["a#b.diffuse", `import "catalog (copy).diffuse"`],
        ["catalog (copy).diffuse", `import "a#b.diffuse"`],
      ]);
      const program = await load(pathToFileURL("/p/main.diffuse").href, reader("/p/", files));
      expect(program.diagnostics.map((d) => [d.code, d.message, d.help])).toEqual([
        ["DF2006", "import cycle: `a#b.diffuse` -> `catalog (copy).diffuse` -> `a#b.diffuse`", "move the shared declarations into a file that both can import"],
        ["DF2005", "cannot read `100%.diffuse`", "the path is relative to this file and resolves to `/p/100%.diffuse`"],
      ]);
    });
  });
});

describe("quick fixes", () => {
  function applyFirstFix(text: string): string {
    const d = checkText(text, URI).diagnostics.find((x) => x.fixes && x.fixes.length > 0);
    const edits = [...(d?.fixes?.[0]?.edits ?? [])].sort((a, b) => b.range.start - a.range.start);
    return edits.reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), text);
  }

  it.each([
    ["group tier1 = { US GB US }", "group tier1 = { US GB }"],
    ["group tier1 = { US UK }", "group tier1 = { US GB }"],
    [
      "group tier2 = { MY }\nexception E { when destination in tier22  counts toward nothing }",
      "group tier2 = { MY }\nexception E { when destination in tier2  counts toward nothing }",
    ],
    ["item X { tpp 100 }", "item X { tpp 100 TPP }"],
    ["group g = all - GB", "group g = all - { GB }"],
    ["exception E { when destination in US  counts toward nothing }", "exception E { when destination in { US }  counts toward nothing }"],
    // A missing window goes on a line of its own, indented and ended as the file's lines are.
    ["cap c {\r\n\tlimit 1 TPP\r\n\tper consignee\r\n}\r\n", "cap c {\r\n\tlimit 1 TPP\r\n\tper consignee\r\n\twindow calendar year\r\n}\r\n"],
    ["cap c { limit 1 TPP per consignee }", "cap c { limit 1 TPP per consignee window calendar year }"],
  ])("%j is fixed", (before, after) => {
    const fixed = applyFirstFix(before);
    expect(fixed).toBe(after);
    expect(checkText(fixed, URI).diagnostics).toEqual([]);
  });
});

describe("set evaluation", () => {
  it("never changes a group's value while evaluating another", () => {
    const m = checkText(`group a = { US }\ngroup b = a + { GB } - { US }\ngroup w = all - { US } - a\ngroup y = all\ngroup z = {} + a - a`, URI).model;
    expect(m.groups.get("a")?.members).toEqual([{ country: "US" }]);
    expect(m.groups.get("b")?.members).toEqual([{ country: "GB" }]);
    expect(m.groups.get("w")?.members).toHaveLength(249);
    expect(m.groups.get("y")?.members).toHaveLength(250);
    expect(m.groups.get("z")?.members).toEqual([]);
  });
});

describe("policy sets", () => {
  it("indexes a library shared by several versions once, and reports its problems once", () => {
    const files = new Map([
      ["file:///p/set.diffuse", `policyset "S" { use "v1.diffuse"  use "v2.diffuse" }`],
      ["file:///p/v1.diffuse", `policy "V1" { version "1"  effective 2025-01-01  until 2025-06-01 }\nimport "lib.diffuse"\ngroup own = base + { MY }`],
      ["file:///p/v2.diffuse", `policy "V2" { version "2"  effective 2025-06-01 }\nimport "lib.diffuse"\ngroup own = base - { US }`],
      ["file:///p/lib.diffuse", `group base = { US GB UK }\ngroup more = base + { FR }`],
    ]);
    const result = checkFiles(files, "file:///p/set.diffuse");
    expect(result.diagnostics.map((d) => [d.code, d.uri])).toEqual([["DF2002", "file:///p/lib.diffuse"]]);
    const base = result.index.declarations.filter((d) => d.name === "base");
    expect(base).toHaveLength(1);
    expect(result.index.references.filter((r) => r.name === "base").map((r) => r.uri)).toEqual([
      "file:///p/lib.diffuse",
      "file:///p/v1.diffuse",
      "file:///p/v2.diffuse",
    ]);
    expect(result.index.countries.filter((c) => c.uri === "file:///p/lib.diffuse")).toHaveLength(4);
    expect(result.policySet?.versions.map((v) => v.groups.get("own")?.members.map((m) => m.country))).toEqual([["GB", "MY", "US"], ["GB"]]);
  });

  const setOf = (uses: string, versions: Record<string, string>) =>
    checkFiles(
      new Map([
        ["file:///p/set.diffuse", `policyset "S" {\n${uses}\n}`],
        ...Object.entries(versions).map(([name, text]) => [`file:///p/${name}`, text] as [string, string]),
      ]),
      "file:///p/set.diffuse",
    );
  const at = (uri: string, text: string, needle: string) => ({ uri, start: text.indexOf(needle) });

  it("takes a file listed twice as one version, checked once, and points at the first listing", () => {
    const v1 = `policy "V1" { version "1"  effective 2025-01-01 }\ngroup g = { ZZ }`;
    const uses = `use "v1.diffuse"\nuse "v1.diffuse"`;
    const result = setOf(uses, { "v1.diffuse": v1 });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["DF4016", "DF2002"]);
    expect(result.policySet?.versions).toHaveLength(1);
    const [dup] = result.diagnostics.filter((d) => d.code === "DF4016");
    expect(dup?.related?.map((r) => ({ uri: r.uri, start: r.range.start }))).toEqual([{ uri: "file:///p/set.diffuse", start: `policyset "S" {\n`.length + 4 }]);
  });

  it("reports two versions in force from the same day with both `use` lines and both effective dates, whatever their `until`", () => {
    const a = `policy "A" { version "a"  effective 2025-01-13  until 2025-02-01 }`;
    const b = `policy "B" { version "b"  effective 2025-01-13  until 2025-03-01 }`;
    const result = setOf(`use "a.diffuse"\nuse "b.diffuse"`, { "a.diffuse": a, "b.diffuse": b });
    const [d] = result.diagnostics;
    expect(result.diagnostics).toHaveLength(1);
    expect(d).toMatchObject({ code: "DF4017", severity: "error", message: "`b.diffuse` and `a.diffuse` both take effect on 2025-01-13" });
    expect(d?.help).toContain("list only one");
    expect(d?.related?.map((r) => ({ uri: r.uri, start: r.range.start }))).toEqual([
      { uri: "file:///p/set.diffuse", start: `policyset "S" {\n`.length + 4 },
      at("file:///p/a.diffuse", a, "2025-01-13"),
      at("file:///p/b.diffuse", b, "2025-01-13"),
    ]);
  });

  it("reports two files declaring the same version name, with both `version` clauses", () => {
    const a = `policy "A" { version "1"  effective 2025-01-01 }`;
    const b = `policy "B" { version "1"  effective 2025-06-01 }`;
    const result = setOf(`use "a.diffuse"\nuse "b.diffuse"`, { "a.diffuse": a, "b.diffuse": b });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["DF4019", "`b.diffuse` and `a.diffuse` both declare version `1`"]]);
    expect(result.diagnostics[0]?.related?.map((r) => ({ uri: r.uri, start: r.range.start }))).toEqual([
      { uri: "file:///p/set.diffuse", start: `policyset "S" {\n`.length + 4 },
      at("file:///p/a.diffuse", a, `"1"`),
      at("file:///p/b.diffuse", b, `"1"`),
    ]);
  });

  it("reports a `supersedes` naming no version of the set, except on the earliest version", () => {
    const v1 = `policy "V1" { version "1"  effective 2025-01-01  supersedes "0" }`;
    const v2 = `policy "V2" { version "2"  effective 2025-06-01  supersedes "1" }`;
    const v3 = `policy "V3" { version "3"  effective 2026-01-01  supersedes "2b" }`;
    const result = setOf(`use "v3.diffuse"\nuse "v1.diffuse"\nuse "v2.diffuse"`, { "v1.diffuse": v1, "v2.diffuse": v2, "v3.diffuse": v3 });
    expect(result.diagnostics.map((d) => [d.code, d.message])).toEqual([["DF4018", "`v3.diffuse` supersedes version `2b`, which is not in this policy set"]]);
    expect(result.diagnostics[0]?.related?.map((r) => ({ uri: r.uri, start: r.range.start }))).toEqual([at("file:///p/v3.diffuse", v3, `supersedes "2b"`)]);
  });

  it("reports a `supersedes` naming a version of the set that takes effect later, with both effective dates and the clause", () => {
    const v1 = `policy "V1" { version "2025-01"  effective 2025-01-13  supersedes "2026-01" }`;
    const v2 = `policy "V2" { version "2026-01"  effective 2026-01-01  supersedes "2025-01" }`;
    const v3 = `policy "V3" { version "2026-06"  effective 2026-06-01  supersedes "2027-01" }`;
    const v4 = `policy "V4" { version "2027-01"  effective 2027-01-01  supersedes "2026-01" }`;
    const files = { "v1.diffuse": v1, "v2.diffuse": v2, "v3.diffuse": v3, "v4.diffuse": v4 };
    const result = setOf(`use "v1.diffuse"\nuse "v2.diffuse"\nuse "v3.diffuse"\nuse "v4.diffuse"`, files);
    expect(result.diagnostics.map((d) => [d.code, d.severity, d.message, d.help])).toEqual([
      [
        "DF4020",
        "warning",
        "`v1.diffuse` supersedes version `2026-01`, which takes effect later (2026-01-01)",
        "`supersedes` names the version this one replaces, which takes effect before it: this is the earliest version of the set, so name the version it replaced or remove the clause",
      ],
      [
        "DF4020",
        "warning",
        "`v3.diffuse` supersedes version `2027-01`, which takes effect later (2027-01-01)",
        '`supersedes` names the version this one replaces, which takes effect before it: write `supersedes "2026-01"`, the version in force before 2026-06-01',
      ],
    ]);
    expect(result.diagnostics[1]?.range.start).toBe(`policyset "S" {\nuse "v1.diffuse"\nuse "v2.diffuse"\nuse `.length);
    expect(result.diagnostics[1]?.related?.map((r) => ({ uri: r.uri, start: r.range.start }))).toEqual([
      at("file:///p/v3.diffuse", v3, `"2027-01"`),
      at("file:///p/v4.diffuse", v4, "2027-01-01"),
    ]);
  });
});

describe("a policy that supersedes itself", () => {
  it("is reported on its `supersedes` string, in or out of a set", () => {
    const text = `policy "P" {\n  version "2025-01"\n  effective 2025-01-13\n  supersedes "2025-01"\n}`;
    expect(diags(text).map((d) => [d.code, d.severity, d.text, d.message, d.help])).toEqual([
      [
        "DF4020",
        "warning",
        `"2025-01"`,
        "version `2025-01` supersedes itself",
        '`supersedes` names the version this one replaces (an earlier one, e.g. `supersedes "2024-10"`); remove the clause if it replaces none',
      ],
    ]);
  });
});

describe("declaration order", () => {
  it("puts an imported file's classes before the importing file's, wherever the import line is (docs/language.md)", () => {
    const files = new Map([
      [URI, `class own { when chip }\nimport "b.diffuse"\nimport "a.diffuse"\nclass own2 { when chip }`],
      ["file:///p/a.diffuse", `class from_a { when chip }`],
      ["file:///p/b.diffuse", `import "a.diffuse"\nclass from_b { when chip }`],
    ]);
    expect(checkFiles(files, URI).model.classes.map((c) => c.name)).toEqual(["from_a", "from_b", "own", "own2"]);
  });
});

describe("robustness", () => {
  it("produces a model for broken input", () => {
    const result = checkText(`group tier1 = { US \ncap c { limit }\ndecide d for { authorize }\nitem { tpp }`, URI);
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.model.groups.get("tier1")?.members).toEqual([{ country: "US" }]);
  });

  it("handles an empty file and a long flat set chain", () => {
    expect(checkText("", URI).diagnostics).toEqual([]);
    const chain = `group g = ${Array.from({ length: 20_000 }, (_, i) => (i % 2 ? "{ US }" : "{ GB }")).join(" + ")}`;
    const result = checkText(chain, URI);
    expect(result.model.groups.get("g")?.members.map((m) => m.country)).toEqual(["GB", "US"]);
  });
});
