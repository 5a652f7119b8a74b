import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, diffuse, fixture, hasStackTrace, ledgerContent, openRawDb, tempDir } from "./helpers.js";

interface Decision {
  order: string;
  outcome: string;
  basis?: string;
  review?: string;
  charges: { cap: string; key: string; amount: string; after: string; limit: string }[];
  errors?: { field: string; message: string }[];
  alreadyDecided?: boolean;
  policy: { name: string; version: string; sha256: string };
}

const POLICY = fixture("mini.diffuse");
const BOOK = fixture("books/orders.jsonl");
const EXPECTED = [
  ["o-1", "authorized", "NLR"],
  ["o-2", "authorized", "SMALL"],
  ["o-3", "license-required", "presumption-of-approval"],
  ["o-4", "license-required", "presumption-of-denial"],
  ["o-5", "license-required", "presumption-of-approval"],
  ["o-6", "authorized", "SMALL"],
  ["o-7", "license-required", "presumption-of-denial"],
  ["o-8", "authorized", "NLR"],
];

function jsonl(text: string): Decision[] {
  return text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as Decision);
}

function brief(ds: readonly Decision[]): string[][] {
  return ds.map((d) => [d.order, d.outcome, d.basis ?? d.review ?? ""]);
}

/** Charges on a ledger file (order, cap, key, window, amount), in recording order. */
async function ledgerCharges(path: string): Promise<string[]> {
  return (await ledgerContent(path)).charges.map((c) => {
    const [order, , , cap, key, window, amount] = c.split(" ");
    return [order, cap, key, window, amount].join(" ");
  });
}

describe("diffuse eval", () => {
  it("evaluates a JSONL book: a line per decision and a summary (text)", async () => {
    const r = await diffuse(["eval", "--policy", POLICY, "--orders", BOOK]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("o-1  authorized (NLR)");
    expect(lines[1]).toBe("o-2  authorized (SMALL)  small_limit[c-my 2025] +94,992 = 94,992 of 100,000");
    expect(r.stdout).toContain("8 orders evaluated");
    expect(r.stdout).toMatch(/authorized\s+4\n\s+license-required\s+4\n\s+prohibited\s+0\n\s+invalid\s+0/);
    expect(r.stdout).toContain("cap utilisation:");
    expect(r.stdout).toMatch(/closest to exhaustion:\n\s+country_cap\s+MY\s+2025-01-01\.\.2027-12-31\s+965,752\s+1,000,000\s+96\.5%/);
  });

  it("notes why a cap can read over 100%: charges from rules it does not limit", async () => {
    // AIA shipments to a US-headquartered UVEU holder in Germany count toward its
    // outside-the-US share without being limited by it (policies/ai-diffusion-2025.diffuse).
    const consignee = { id: "hyper-us", headquarters: "US", statuses: ["UVEU"], capacityTpp: "10000000" };
    const book = [1, 2]
      .map((n) => JSON.stringify({ id: `aia-${n}`, date: "2025-03-0" + n, destination: "DE", consignee, items: [{ item: "H100", quantity: 1000 }] }))
      .join("\n");
    const db = join(tempDir(), "ledger.db");
    const r = await diffuse(["eval", "-p", "policies/ai-diffusion-2025.diffuse", "-o", "-", "--ledger", db, "--format", "summary"], { stdin: book });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/UVEU_outside_us\s+hyper-us\s+all time\s+31,664,000\s+12,916,000\s+245\.1%/);
    const note = "note: a cap over 100% was charged by orders it does not limit: an exception or status that\n  `counts toward` it,";
    expect(r.stdout).toContain(note);
    const show = await diffuse(["ledger", "show", "--ledger", db]);
    expect(show.stdout).toMatch(/UVEU_outside_us\s+hyper-us\s+all time\s+31,664,000\s+12,916,000\s+245\.1%\s+2\n/);
    expect(show.stdout).toContain(note);
    // The limit shown is the one of the latest charge: a percent of the capacity that order
    // gave. An order that must stay within the cap, giving a larger capacity, still fits.
    expect(r.stdout).toContain(
      "  an order that must stay `within` it is authorized under it only if it fits under its own\n  limit (a percent of the capacity it gives, or raised by a `times` modifier)\n",
    );
    const larger = JSON.stringify({
      id: "uveu-3",
      date: "2025-03-05",
      destination: "MY",
      consignee: { ...consignee, capacityTpp: "1000000000" },
      items: [{ item: "H100", quantity: 1000 }],
    });
    const after = await diffuse(["eval", "-p", "policies/ai-diffusion-2025.diffuse", "-o", "-", "--ledger", db, "--format", "jsonl"], { stdin: larger });
    expect(jsonl(after.stdout)[0]).toMatchObject({ outcome: "authorized", basis: "UVEU" });
    // Within its limit: no note.
    const within = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "summary"]);
    expect(within.stdout).not.toContain("note:");
  });

  it("writes JSON: the decisions (Decision v1) and the summary", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      decisions: Decision[];
      summary: { orders: number; outcomes: Record<string, number>; caps: unknown[]; closestToExhaustion: { cap: string; percent: string }[] };
    };
    expect(brief(out.decisions)).toEqual(EXPECTED);
    expect(out.decisions[1]?.charges).toEqual([
      { cap: "small_limit", key: "c-my", window: "2025", amount: "94992", before: "0", after: "94992", limit: "100000" },
    ]);
    expect(out.decisions[0]?.policy).toMatchObject({ name: "Mini rule", version: "1" });
    expect(out.decisions[0]?.policy.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.summary).toMatchObject({ orders: 8, outcomes: { authorized: 4, "license-required": 4, prohibited: 0, invalid: 0 } });
    expect(out.summary.closestToExhaustion[0]).toMatchObject({ cap: "country_cap", percent: "96.5" });
    // The summary of a json run also goes to stderr as text.
    expect(r.stderr).toContain("8 orders evaluated");
  });

  it("writes JSONL with the summary on stderr, and --quiet drops the summary", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "jsonl"]);
    expect(r.code).toBe(0);
    expect(brief(jsonl(r.stdout))).toEqual(EXPECTED);
    expect(r.stderr).toContain("8 orders evaluated");
    const q = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "jsonl", "--quiet"]);
    expect(q.stderr).toBe("");
    expect(q.stdout).toBe(r.stdout);
  });

  it("cites each rule's file by its path relative to the working directory, or its absolute path when the policy is outside it", async () => {
    const paths = (stdout: string): string[] =>
      jsonl(stdout).flatMap((d) => (d as unknown as { reasons: { source: { path: string } }[] }).reasons.map((r) => r.source.path));
    const inside = await diffuse(["eval", "--policy", POLICY, "--orders", BOOK, "--format", "jsonl", "--quiet"]);
    expect(new Set(paths(inside.stdout))).toEqual(new Set([POLICY]));
    const outside = await diffuse(["eval", "--policy", join(ROOT, POLICY), "--orders", join(ROOT, BOOK), "--format", "jsonl", "--quiet"], { cwd: tempDir() });
    expect(new Set(paths(outside.stdout))).toEqual(new Set([join(ROOT, POLICY)]));
  });

  it("reads JSONL and a JSON array from stdin", async () => {
    const fromJsonl = await diffuse(["eval", "-p", POLICY, "-o", "-", "--format", "jsonl", "-q"], { stdin: readFileSync(BOOK, "utf8") });
    expect(fromJsonl.code).toBe(0);
    expect(brief(jsonl(fromJsonl.stdout))).toEqual(EXPECTED);
    const fromArray = await diffuse(["eval", "-p", POLICY, "-o", "-", "--format", "jsonl", "-q"], {
      stdin: readFileSync(fixture("books/pretty.json"), "utf8"),
    });
    expect(fromArray.code).toBe(0);
    expect(brief(jsonl(fromArray.stdout))).toEqual(EXPECTED);
  });

  it("decides a book given out of date order in date order (the same decisions as the sorted book)", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/shuffled.json"), "--format", "jsonl", "-q"]);
    expect(r.code).toBe(0);
    expect(brief(jsonl(r.stdout))).toEqual(EXPECTED);
  });

  it("writes the same bytes with the SQLite ledger as with the in-memory one, for a sorted and a shuffled book", async () => {
    const dir = tempDir();
    let seed = 11;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    interface BookOrder {
      id: string;
      date: string;
      destination: string | undefined;
      consignee: { id: string; name: string };
      items: { item: string; quantity: number }[];
    }
    const orders: BookOrder[] = [];
    for (let i = 0; i < 400; i++) {
      const earlier = orders[i - 3];
      if (i % 7 === 6 && earlier !== undefined) {
        // Some ids repeat: a copy of the order is reported as already decided, not charged
        // again; the id given for other content is an invalid order, not decided at all.
        orders.push(i % 14 === 13 ? { ...earlier, items: [{ item: "H100", quantity: (earlier.items[0]?.quantity ?? 0) + 1 }] } : structuredClone(earlier));
        continue;
      }
      orders.push({
        id: `m-${i}`,
        date: `2025-0${1 + Math.floor((i * 9) / 400)}-1${Math.floor(random() * 10)}`,
        destination: ["MY", "AE", "US", "CN", "SG"][Math.floor(random() * 5)],
        consignee: { id: `c-${Math.floor(random() * 12)}`, name: 'quote " and \\ and é' },
        items: [{ item: "H100", quantity: 1 + Math.floor(random() * 9) }],
      });
    }
    const sorted = [...orders].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    writeFileSync(join(dir, "sorted.jsonl"), sorted.map((o) => JSON.stringify(o)).join("\n"));
    writeFileSync(join(dir, "shuffled.json"), JSON.stringify(orders, null, 1));
    const run = (book: string, ...more: string[]): Promise<{ code: number | null; stdout: string }> =>
      diffuse(["eval", "-p", POLICY, "-o", join(dir, book), "--format", "jsonl", "-q", ...more]);
    const memory = await run("sorted.jsonl");
    expect(memory.code).toBe(0);
    expect(jsonl(memory.stdout).filter((d) => d.alreadyDecided === true).length).toBeGreaterThan(10);
    const reused = jsonl(memory.stdout).filter((d) => d.outcome === "invalid");
    expect(reused.length).toBeGreaterThan(10);
    for (const d of reused) expect(d.errors?.[0]?.message).toMatch(/^order id `m-\d+` was already decided on this ledger for an order with other content/);
    expect((await run("shuffled.json")).stdout).toBe(memory.stdout);
    const sqlite = await run("sorted.jsonl", "--ledger", join(dir, "a.db"), "--batch-size", "7");
    expect(sqlite.stdout).toBe(memory.stdout);
    expect((await run("shuffled.json", "--ledger", join(dir, "b.db"), "--batch-size", "50")).stdout).toBe(memory.stdout);
    // The rerun: every decision as recorded, flagged as already decided.
    const again = await run("shuffled.json", "--ledger", join(dir, "a.db"));
    const expected = jsonl(memory.stdout).map((d) => JSON.stringify(d.outcome === "invalid" ? d : { ...d, alreadyDecided: true }));
    expect(again.stdout.trimEnd().split("\n")).toEqual(expected);
  });

  it("stops on invalid JSON with the line, exit 2, before anything is charged", async () => {
    const db = join(tempDir(), "ledger.db");
    const r = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/bad-json.jsonl"), "--ledger", db]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^error: orders `test\/fixtures\/cli\/books\/bad-json\.jsonl`: invalid JSON at line 3, column 33: .*\nhelp: a book is a JSON array of orders/,
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
    // The book is read before the ledger is opened: nothing was written at all.
    expect(existsSync(db)).toBe(false);
  });

  it("says what to do with one order written over several lines (an order file, not a book)", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", fixture("order-my.json")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("invalid JSON at line 1, column 2");
    expect(r.stderr).toContain(
      "help: the file is one order written over several lines; a book is a JSON array of orders (`[...]`) or JSON Lines (one order per line): put it in `[` `]`",
    );
    const broken = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/bad-json.jsonl")]);
    expect(broken.stderr).toContain("help: a book is a JSON array of orders (`[...]`) or JSON Lines (one order per line)\n");
  });

  it("reports a bad order with its position, id and field, and evaluates the rest (exit 0; 1 with --strict)", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/mixed.jsonl"), "--format", "jsonl"]);
    expect(r.code).toBe(0);
    expect(brief(jsonl(r.stdout))).toEqual([
      ["o-1", "authorized", "NLR"],
      ["o-bad", "invalid", ""],
      ["o-3", "authorized", "SMALL"],
      ["o-typo", "invalid", ""],
      ["o-4", "license-required", "presumption-of-denial"],
    ]);
    expect(r.stderr).toContain("invalid order 2 (`o-bad`) at line 2: `items[0].quantity`:");
    expect(r.stderr).toContain(
      "invalid order 4 (`o-typo`) at line 4: `destinaton`: unknown field `destinaton`; `destination`: missing `destination`\n  help for `destinaton`: did you mean `destination`? allowed fields here: id, date, destination, exporter, consignee, items\n",
    );
    expect(r.stderr).toMatch(/invalid\s+2/);
    const strict = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/mixed.jsonl"), "--format", "summary", "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/^5 orders evaluated\n/);
  });

  it("refuses an order that gives a key twice (JSON would keep the last): invalid, with the field, in JSONL and in an array", async () => {
    for (const book of ["books/repeated-keys.jsonl", "books/repeated-keys.json"]) {
      const r = await diffuse(["eval", "-p", POLICY, "-o", fixture(book), "--format", "jsonl"]);
      expect(r.code).toBe(0);
      const ds = jsonl(r.stdout);
      expect(brief(ds)).toEqual([
        ["o-1", "authorized", "SMALL"],
        ["o-2", "invalid", ""],
        ["o-3", "invalid", ""],
        ["o-4", "authorized", "SMALL"],
      ]);
      expect(ds[1]?.errors?.map((e) => e.field)).toEqual(["destination"]);
      expect(ds[2]?.errors?.map((e) => e.field)).toEqual(["consignee.id", "items[0].quantity"]);
      expect(ds[2]?.charges).toEqual([]);
      expect(r.stderr).toContain("invalid order 2 (`o-2`) at line ");
      expect(r.stderr).toContain(
        "`destination`: given more than once (a JSON reader keeps only one of the values)\n  help: give `destination` once, with the value meant\n",
      );
    }
  });

  it("lists invalid orders on stderr in book order, though the book is decided in date order", async () => {
    const book = join(tempDir(), "unsorted.jsonl");
    const dates = ["2025-09-01", "2025-03-01", "2025-06-01", "2025-01-15"];
    writeFileSync(
      book,
      dates
        .map((date, i) => JSON.stringify({ id: `bad-${i}`, date, destination: "ZZ", consignee: { id: "c" }, items: [{ item: "H100", quantity: 1 }] }))
        .join("\n"),
    );
    const r = await diffuse(["eval", "-p", POLICY, "-o", book, "--format", "jsonl"]);
    expect(r.code).toBe(0);
    // Decided (and output) by date; reported by position.
    expect(jsonl(r.stdout).map((d) => d["order"])).toEqual(["bad-3", "bad-1", "bad-2", "bad-0"]);
    expect([...r.stderr.matchAll(/^invalid order (\d+) \(`(bad-\d)`\)/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual(["1 bad-0", "2 bad-1", "3 bad-2", "4 bad-3"]);
  });

  it("lists the invalid orders of the committed batches when interrupted, and exits as SIGINT would (130)", async () => {
    // Dates descending: the book is decided from its end, where the invalid orders are.
    const n = 60_000;
    const day = (i: number): string => new Date(Date.UTC(2025, 0, 1) + (n - i) * 3_600_000).toISOString().slice(0, 10);
    const lines = Array.from({ length: n }, (_, i) =>
      JSON.stringify({
        id: `o-${i}`,
        date: day(i),
        destination: i >= n - 3 ? "ZZ" : "MY",
        consignee: { id: `c-${i % 97}` },
        items: [{ item: "H100", quantity: 1 }],
      }),
    );
    const book = join(tempDir(), "reversed.jsonl");
    writeFileSync(book, lines.join("\n"));
    const db = join(tempDir(), "ledger.db");
    const r = await diffuse(["eval", "-p", POLICY, "-o", book, "--ledger", db, "--format", "jsonl", "--batch-size", "100", "--no-hints"], {
      killAfterLines: 300,
      killSignal: "SIGINT",
    });
    expect(r.code).toBe(130);
    expect([...r.stderr.matchAll(/^invalid order (\d+) /gm)].map((m) => m[1])).toEqual([`${n - 2}`, `${n - 1}`, `${n}`]);
    expect(r.stderr).toMatch(
      /error: interrupted \(SIGINT\) after [\d,]+ of 60,000 orders; the batches committed are on the ledger, and running the book again on it decides only the rest\n$/,
    );
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("lists the first 50 invalid orders on stderr, then counts the rest and says where they are", async () => {
    const book = join(tempDir(), "invalid.jsonl");
    writeFileSync(
      book,
      Array.from({ length: 53 }, (_, i) =>
        JSON.stringify({ id: `bad-${i}`, date: "2025-03-01", destination: "ZZ", consignee: { id: "c" }, items: [{ item: "H100", quantity: 1 }] }),
      ).join("\n"),
    );
    const r = await diffuse(["eval", "-p", POLICY, "-o", book, "--format", "jsonl"]);
    expect(r.code).toBe(0);
    expect(r.stderr.match(/^invalid order /gm)).toHaveLength(50);
    expect(r.stderr).toContain("invalid order 50 (`bad-49`)");
    expect(r.stderr).toContain(
      '... and 3 more invalid orders (the first 50 in the book are listed)\nhelp: every invalid decision, with its errors, is in the output: `--format jsonl` and the lines with "outcome":"invalid"\n',
    );
    expect(
      r.stdout
        .trim()
        .split("\n")
        .filter((l) => l.includes('"outcome":"invalid"')),
    ).toHaveLength(53);
  });

  it("warns about a book with no orders, and still exits 0", async () => {
    for (const stdin of ["", "[]\n", "\n\n"]) {
      const r = await diffuse(["eval", "-p", POLICY, "-o", "-", "--format", "summary"], { stdin });
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("warning: orders `<stdin>` holds no orders\n");
      expect(r.stdout).toMatch(/^0 orders evaluated\n/);
    }
  });

  it("--format summary prints only the summary", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "summary"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^8 orders evaluated\n/);
    expect(r.stdout).not.toContain("o-1");
  });

  it("records on a SQLite ledger and charges nothing twice when the book is run again", async () => {
    const db = join(tempDir(), "ledger.db");
    const first = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "--format", "jsonl", "-q", "--batch-size", "3"]);
    expect(first.code).toBe(0);
    const charges = await ledgerCharges(db);
    expect(charges).toEqual([
      "o-2 small_limit c-my 2025 94992",
      "o-3 country_cap MY 2025-01-01..2027-12-31 15832",
      "o-5 country_cap MY 2025-01-01..2027-12-31 949920",
      "o-6 small_limit c-my3 2025 47496",
    ]);
    const again = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "--format", "jsonl"]);
    expect(again.code).toBe(0);
    const decisions = jsonl(again.stdout);
    expect(decisions.every((d) => d.alreadyDecided === true)).toBe(true);
    expect(brief(decisions)).toEqual(EXPECTED);
    expect(again.stderr).toContain("already decided on the ledger (not charged again): 8");
    expect(again.stderr).not.toContain("another policy text");
    expect(await ledgerCharges(db)).toEqual(charges);
  });

  it("says when already-decided orders were decided under another policy text (an imported file changed since)", async () => {
    const dir = tempDir();
    mkdirSync(join(dir, "lib"));
    writeFileSync(join(dir, "mini.diffuse"), readFileSync(POLICY, "utf8"));
    const catalog = readFileSync(fixture("lib/catalog.diffuse"), "utf8");
    writeFileSync(join(dir, "lib/catalog.diffuse"), catalog);
    const db = join(dir, "ledger.db");
    const first = await diffuse(["eval", "-p", join(dir, "mini.diffuse"), "-o", BOOK, "--ledger", db, "--format", "jsonl", "-q"]);
    const before = jsonl(first.stdout)[0]?.policy.sha256 ?? "";
    writeFileSync(join(dir, "lib/catalog.diffuse"), `${catalog}// reviewed\n`);
    const again = await diffuse(["eval", "-p", join(dir, "mini.diffuse"), "-o", BOOK, "--ledger", db, "--format", "json"]);
    expect(again.code).toBe(0);
    const out = JSON.parse(again.stdout) as { decisions: Decision[]; summary: { alreadyDecided: number; alreadyDecidedUnderOtherPolicy: number } };
    expect(out.summary).toMatchObject({ alreadyDecided: 8, alreadyDecidedUnderOtherPolicy: 8 });
    expect(out.decisions.every((d) => d.policy.sha256 === before)).toBe(true);
    expect(again.stderr).toContain(`    of them decided under another policy text: 8 (sha256 ${before.slice(0, 12)}); their recorded decisions stand\n`);
  });

  it("refuses an order id the ledger holds for other content: invalid, nothing charged, the recorded decision stands", async () => {
    const db = join(tempDir(), "ledger.db");
    expect((await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"])).code).toBe(0);
    const before = await ledgerContent(db);
    // o-2 again as it was; o-3 again for 600 units instead of 1; o-9 new.
    const r = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/reused-id.jsonl"), "--ledger", db, "--format", "jsonl"]);
    expect(r.code).toBe(0);
    const decisions = jsonl(r.stdout);
    expect(decisions.map((d) => [d.order, d.outcome, d.alreadyDecided === true])).toEqual([
      ["o-2", "authorized", true],
      ["o-3", "invalid", false],
      ["o-9", decisions[2]?.outcome, false],
    ]);
    expect(decisions[1]?.errors).toEqual([
      {
        field: "id",
        message: "order id `o-3` was already decided on this ledger for an order with other content (license required, review presumption of approval)",
        help: "an order id names one order: give this order an id of its own; the recorded decision stands, and nothing was charged for this one",
      },
    ]);
    expect(r.stderr).toContain("invalid order 2 (`o-3`) at line 2: `id`: order id `o-3` was already decided on this ledger for an order with other content");
    const after = await ledgerContent(db);
    expect(after.decisions.slice(0, before.decisions.length)).toEqual(before.decisions);
    expect(after.decisions.map((d) => (JSON.parse(d) as Decision).order)).toEqual([...EXPECTED.map(([id]) => id), "o-9"]);
    // --strict: an invalid order fails the run.
    const strict = await diffuse(["eval", "-p", POLICY, "-o", fixture("books/reused-id.jsonl"), "--ledger", db, "--format", "summary", "--strict"]);
    expect(strict.code).toBe(1);
  });

  it("uses the ledger's usage from earlier runs", async () => {
    const db = join(tempDir(), "ledger.db");
    const lines = readFileSync(BOOK, "utf8").split("\n");
    await diffuse(["eval", "-p", POLICY, "-o", "-", "--ledger", db, "-q"], { stdin: lines.slice(0, 4).join("\n") });
    const rest = await diffuse(["eval", "-p", POLICY, "-o", "-", "--ledger", db, "--format", "jsonl", "-q"], { stdin: lines.slice(4).join("\n") });
    expect(brief(jsonl(rest.stdout))).toEqual(EXPECTED.slice(4));
    expect(jsonl(rest.stdout)[0]?.charges[0]).toMatchObject({ cap: "country_cap", after: "965752" });
  });

  it("--no-charge-licenses leaves licenses off the caps", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "jsonl", "-q", "--no-charge-licenses"]);
    const ds = jsonl(r.stdout);
    expect(ds.find((d) => d.order === "o-3")?.charges).toEqual([]);
    expect(ds.find((d) => d.order === "o-7")?.review).toBe("presumption-of-approval");
  });

  it("evaluates against a policy set, each order under the version in force, or all under --as-of", async () => {
    const order = (id: string, date: string): string =>
      JSON.stringify({ id, date, destination: "MY", consignee: { id: "uni-my" }, items: [{ item: "H100", quantity: 10 }] });
    const stdin = `${order("early", "2025-02-01")}\n${order("late", "2025-06-01")}\n`;
    const r = await diffuse(["eval", "-p", "policies/us-advanced-computing.diffuse", "-o", "-", "--format", "jsonl", "-q"], { stdin });
    expect(r.code).toBe(0);
    const ds = jsonl(r.stdout);
    expect(ds.map((d) => d.order)).toEqual(["early", "late"]);
    expect(ds[0]?.policy.version).not.toBe(ds[1]?.policy.version);
    const asOf = await diffuse(["eval", "-p", "policies/us-advanced-computing.diffuse", "-o", "-", "--format", "jsonl", "-q", "--as-of", "2025-02-01"], {
      stdin,
    });
    expect(jsonl(asOf.stdout).map((d) => d.policy.version)).toEqual([ds[0]?.policy.version, ds[0]?.policy.version]);
  });

  it("never draws a progress bar when stderr is not a terminal", async () => {
    const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--format", "jsonl"]);
    expect(r.stderr).not.toContain("\r");
    expect(r.stderr).not.toContain("[#");
  });

  it("reports usage and I/O errors with exit 2", async () => {
    const dir = tempDir();
    const cases: [string[], RegExp][] = [
      [["eval", "-o", BOOK], /^error: missing `--policy FILE`/],
      [["eval", "-p", POLICY], /^error: missing `--orders FILE`/],
      [["eval", "-p", POLICY, "-o", "missing.jsonl"], /^error: orders `missing.jsonl` does not exist/],
      [["eval", "-p", POLICY, "-o", dir], /^error: orders `.*` is a directory/],
      [["eval", "-p", "nope.diffuse", "-o", BOOK], /^error: policy `nope.diffuse` does not exist/],
      [["eval", "-p", POLICY, "-o", BOOK, "--batch-size", "0"], /^error: `--batch-size` must be a positive integer, not `0`/],
      [["eval", "-p", POLICY, "-o", BOOK, "--as-of", "June"], /^error: `--as-of` must be a calendar date `YYYY-MM-DD`, not `June`/],
      [["eval", "-p", POLICY, "-o", BOOK, "--as-of", "2025-13-01"], /^error: `--as-of` must be a calendar date `YYYY-MM-DD`, not `2025-13-01`/],
      [["eval", "-p", POLICY, "-o", BOOK, "--as-of", "2025-02-29"], /^error: `--as-of` must be a calendar date `YYYY-MM-DD`, not `2025-02-29`/],
      [
        ["eval", "-p", POLICY, "-o", BOOK, "--as-of", "2020-01-01"],
        /^error: `--as-of` picks a version of a policy set, and `test\/fixtures\/cli\/mini\.diffuse` is a single policy\n(.|\n)*help: drop `--as-of`/,
      ],
      [["eval", "-p", POLICY, "-o", BOOK, "--ledger", dir], /^error: ledger `.*` is a directory/],
      [
        ["eval", "-p", "policies/us-advanced-computing.diffuse", "-o", BOOK, "--as-of", "2020-01-01"],
        /^error: `--as-of 2020-01-01`: no version of `policies\/us-advanced-computing\.diffuse` is in force on that date\nhelp: versions cover 2023-10 from 2023-11-17; /,
      ],
      [["eval", "-p", POLICY, "-o", BOOK, "--frobnicate"], /^error: unknown flag `--frobnicate`/],
      [
        ["eval", "-p", POLICY, "-o", BOOK, "--batch-size", "-1"],
        /^error: `--batch-size` needs a value, and `-1` looks like a flag\nhelp: to give a value that starts with `-`, write `--batch-size=-1`\n/,
      ],
      [["eval", "-p", POLICY, "-o", BOOK, "--batch-size=-1"], /^error: `--batch-size` must be a positive integer, not `-1`/],
      [
        ["eval", "-p", POLICY, "-o", BOOK, "--ledger", join(dir, "l.db"), "--busy-timeout", "3000000000"],
        /^error: `--busy-timeout` must be at most 2,147,483,647, not `3000000000`/,
      ],
      [
        ["eval", "-p", POLICY, "-o", BOOK, "--format", "summary", "--format", "json"],
        /^error: `--format` given twice \(`summary`, then `json`\)\nhelp: give it once\n/,
      ],
      [["eval", "-p", POLICY, "-o", BOOK, "-l", join(dir, "a.db"), "--ledger", join(dir, "b.db")], /^error: `--ledger` given twice/],
    ];
    for (const [args, message] of cases) {
      const r = await diffuse(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr, args.join(" ")).toMatch(message);
      expect(hasStackTrace(r.stderr)).toBe(false);
    }
  });

  it("refuses a policy with errors (exit 1) and shows them", async () => {
    const r = await diffuse(["eval", "-p", fixture("broken.diffuse"), "-o", BOOK]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error DF2001: unknown group `tier4`");
    expect(r.stderr).toContain("error: policy `test/fixtures/cli/broken.diffuse` has 4 errors");
  });

  it("refuses a ledger written by a newer schema, leaving it untouched", async () => {
    const db = join(tempDir(), "ledger.db");
    await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "-q"]);
    const raw = openRawDb(db);
    raw.prepare("INSERT INTO schema_version (version, applied_at) VALUES (99, 'future')").run();
    raw.close();
    const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: ledger `.*ledger\.db` was written by a newer Diffuse \(schema 99; this version reads up to \d+\)\nhelp: upgrade Diffuse/);
    expect(hasStackTrace(r.stderr)).toBe(false);
  });

  it("waits for a locked ledger, then fails with a clear error", async () => {
    const dir = tempDir();
    const db = join(dir, "ledger.db");
    await diffuse(["eval", "-p", POLICY, "-o", fixture("books/mixed.jsonl"), "--ledger", db, "-q"]);
    const holder = openRawDb(db);
    holder.prepare("BEGIN IMMEDIATE").run();
    try {
      const r = await diffuse(["eval", "-p", POLICY, "-o", BOOK, "--ledger", db, "--busy-timeout", "200"]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^error: ledger `.*ledger\.db` is locked by another process\nhelp: wait for the other process to finish, or raise the wait with --busy-timeout\n$/,
      );
    } finally {
      holder.prepare("ROLLBACK").run();
      holder.close();
    }
    mkdirSync(join(dir, "unused"), { recursive: true });
  });
});
