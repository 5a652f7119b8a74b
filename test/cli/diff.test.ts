import { describe, expect, it } from "vitest";
import { diffuse, fixture } from "./helpers.js";

const OLD = fixture("mini.diffuse");
const NEW = fixture("diff/v2.diffuse");

interface Change {
  kind: string;
  entity: string;
  name: string;
  field?: string;
  before?: string;
  after?: string;
  message: string;
}

describe("diffuse diff", () => {
  it("lists semantic differences as text (exit 1 when there are any)", async () => {
    const r = await diffuse(["diff", OLD, NEW]);
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual(
      expect.arrayContaining([
        `--- ${OLD}`,
        `+++ ${NEW}`,
        "> country MY moved from tier2 to tier1",
        "~ cap small_limit: limit 100,000 TPP -> 200,000 TPP",
        "~ cap country_cap: window 2025-01-01 .. 2027-12-31 -> 2025-01-01 .. 2026-12-31",
        "+ exception RESEARCH added: when destination in tier2",
        "+ status VEU added: when destination not in tier3",
        "^ decide chip_rules: rules reordered (precedence changed)",
        "~ policy Mini rule: version 1 -> 2",
      ]),
    );
  });

  it("writes the changes as JSON", async () => {
    const r = await diffuse(["diff", OLD, NEW, "--format", "json"]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as { old: string; new: string; changes: Change[] };
    expect(out.old).toBe(OLD);
    expect(out.changes).toContainEqual({
      kind: "moved",
      entity: "country",
      name: "MY",
      before: "tier2",
      after: "tier1",
      message: "country MY moved from tier2 to tier1",
    });
    expect(out.changes).toContainEqual(
      expect.objectContaining({ kind: "changed", entity: "cap", name: "small_limit", field: "limit", before: "100,000 TPP", after: "200,000 TPP" }),
    );
    expect(out.changes).toContainEqual(expect.objectContaining({ kind: "added", entity: "exception", name: "RESEARCH" }));
    expect(out.changes).toContainEqual(expect.objectContaining({ kind: "reordered", entity: "decide", name: "chip_rules" }));
  });

  it("replays a book under both versions and lists the orders whose decision changed", async () => {
    const r = await diffuse(["diff", OLD, NEW, "--orders", fixture("books/orders.jsonl"), "--format", "json"]);
    const out = JSON.parse(r.stdout) as {
      orders: { evaluated: number; changed: { order: string; before: { outcome: string; basis?: string }; after: { outcome: string; basis?: string } }[] };
    };
    expect(out.orders.evaluated).toBe(8);
    expect(out.orders.changed).toContainEqual({
      order: "o-3",
      before: { outcome: "license-required", review: "presumption-of-approval" },
      after: { outcome: "authorized", basis: "NLR" },
    });
    expect(out.orders.changed.map((c) => c.order)).not.toContain("o-1");
    const text = await diffuse(["diff", OLD, NEW, "--orders", fixture("books/shuffled.json")]);
    expect(text.stdout).toContain("8 orders replayed, 5 decisions changed:");
    expect(text.stdout).toContain("  o-3: license-required (presumption-of-approval) -> authorized (NLR)");
  });

  it("replays a book read from stdin (`--orders -`), and reports invalid JSON in a book with its line and advice", async () => {
    const { readFileSync } = await import("node:fs");
    const book = readFileSync(fixture("books/orders.jsonl"), "utf8");
    const file = await diffuse(["diff", OLD, NEW, "--orders", fixture("books/orders.jsonl")]);
    const stdin = await diffuse(["diff", OLD, NEW, "--orders", "-"], { stdin: book });
    expect(stdin.stderr).toBe("");
    expect(stdin.code).toBe(1);
    expect(stdin.stdout).toBe(file.stdout);
    const bad = await diffuse(["diff", OLD, NEW, "--orders", "-"], { stdin: `${book}{"id": }\n` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^error: orders `<stdin>`: invalid JSON at line 9, column 8: expected a value, found `}`\nhelp: a book is a JSON array of orders/,
    );
  });

  it("compares two libraries (files without a policy header), but replays a book only under policies", async () => {
    const LIB = fixture("lib/catalog.diffuse");
    const r = await diffuse(["diff", LIB, fixture("diff/catalog-v2.diffuse")]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    expect(r.stdout.split("\n")).toEqual(expect.arrayContaining(["+ item B200 added: 36,000 TPP", "~ item T4: tpp 1,000 TPP -> 1,200 TPP"]));
    const replay = await diffuse(["diff", LIB, fixture("diff/catalog-v2.diffuse"), "--orders", fixture("books/orders.jsonl")]);
    expect(replay.code).toBe(2);
    expect(replay.stderr).toMatch(/^error: `--orders` replays a book under two policies, and `.*catalog\.diffuse` has no `policy` header\nhelp: /);
    const mixed = await diffuse(["diff", OLD, LIB]);
    expect(mixed.stdout).toContain("- policy Mini rule removed (version 1): the new file is a library, without a policy header");
  });

  it("lists the orders invalid under both versions on stderr, and why an order is invalid under one", async () => {
    const book = fixture("books/diff-invalid.jsonl");
    const r = await diffuse(["diff", OLD, NEW, "--orders", book]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^invalid order 2 \(`o-bad`\) at line 2: `items\[0\]\.quantity`: /);
    expect(r.stderr).not.toContain("o-veu");
    expect(r.stdout).toContain(
      "3 orders replayed (1 invalid under both versions, listed on stderr), 1 decision changed:\n  o-veu: invalid (consignee.statuses[0]: unknown status `VEU`) -> authorized (SMALL)\n",
    );
    const json = await diffuse(["diff", OLD, NEW, "--orders", book, "--format", "json"]);
    const out = JSON.parse(json.stdout) as { orders: { evaluated: number; invalid: number; changed: unknown[] } };
    expect(out.orders).toEqual({
      evaluated: 3,
      invalid: 1,
      changed: [
        {
          order: "o-veu",
          before: {
            outcome: "invalid",
            errors: [{ field: "consignee.statuses[0]", message: "unknown status `VEU`", help: "the policy declares no statuses" }],
          },
          after: { outcome: "authorized", basis: "SMALL" },
        },
      ],
    });
  });

  it("exits 0 with no differences between a policy and itself", async () => {
    const r = await diffuse(["diff", OLD, OLD]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("no semantic differences");
  });

  it("needs exactly two files (exit 2)", async () => {
    const r = await diffuse(["diff", OLD]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: missing NEW\n/);
  });
});
