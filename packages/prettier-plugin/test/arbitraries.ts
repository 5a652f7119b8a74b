/**
 * fast-check arbitraries of valid Diffuse source, as token lists (so a test can put
 * something between every two tokens). They follow the grammar in docs/language.md;
 * names and meanings are random, so the files parse but need not check.
 */
import fc from "fast-check";

type Tokens = readonly string[];

/** Marks the end of a clause or declaration: the layout may put a line comment there. */
export const LINE_END = "\u00b6";
type Arb = fc.Arbitrary<Tokens>;

const cat = (...parts: (Tokens | string)[]): Tokens => parts.flatMap((p) => (typeof p === "string" ? [p] : p));
const opt = (arb: Arb): Arb => fc.option(arb, { nil: [] as Tokens }).map((t) => t);

export const name: fc.Arbitrary<string> = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).map((s) => `n_${s}`);
const str: fc.Arbitrary<string> = fc.stringMatching(/^[a-zA-Z0-9 .,:()-]{0,14}$/).map((s) => JSON.stringify(s));
const date: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 2000, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
  .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
const num: fc.Arbitrary<string> = fc.oneof(
  fc.nat({ max: 1_000_000 }).map(String),
  fc.constantFrom("1_000", "26_900_000", "5.92", "1e26", "2.5e25", "0.5", "15_832"),
);
const country = fc.constantFrom("US", "CN", "AU", "MY", "AE", "KH", "MO", "DE", "FR", "JP", "KR", "IN", "BR", "ZA", "XK");

const nameT: Arb = name.map((n) => [n]);
const strT: Arb = str.map((s) => [s]);
const dateT: Arb = date.map((d) => [d]);
const cite: Arb = opt(str.map((s) => ["cite", s]));
const names: Arb = fc.array(name, { minLength: 1, maxLength: 4 }).map((ns) => ns.flatMap((n, i) => (i === 0 ? [n] : [",", n])));

const qty: Arb = fc.oneof(
  num.map((n) => [n]),
  fc.tuple(num, fc.constantFrom("TPP", "units", "ops", "%", "days", "months", "years")).map(([n, u]) => [n, u]),
  fc.tuple(num, name).map(([n, item]) => [n, "x", item]),
  num.map((n) => [n, "%", "of", "capacity"]),
);

// ---------------------------------------------------------------------------
// Country sets

const member: Arb = fc
  .tuple(country, opt(dateT.map((d) => ["from", ...d])), opt(dateT.map((d) => ["until", ...d])), cite)
  .map(([c, f, u, ci]) => cat(c, f, u, ci));
const setLiteral: Arb = fc.array(member, { maxLength: 6 }).map((ms) => cat("{", ms.flat(), "}"));

const { setExpr } = fc.letrec<{ setExpr: Tokens; setTerm: Tokens }>((tie) => ({
  setTerm: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    setLiteral,
    nameT,
    fc.constant(["all"]),
    tie("setExpr").map((e) => cat("(", e, ")")),
  ),
  setExpr: fc.tuple(tie("setTerm"), fc.array(fc.tuple(fc.constantFrom("+", "-", "&"), tie("setTerm")), { maxLength: 3 })).map(([first, rest]) =>
    cat(
      first,
      rest.flatMap(([op, t]) => cat(op, t)),
    ),
  ),
}));

// ---------------------------------------------------------------------------
// Conditions

const cmp = fc.constantFrom("<", "<=", ">", ">=", "=", "!=");
const neg = fc.boolean().map((b) => (b ? ["not"] : []));

const atom: Arb = fc.oneof(
  fc.tuple(fc.constantFrom("destination", "headquarters"), neg, setExpr).map(([s, n, e]) => cat(s, n, "in", e)),
  fc.tuple(neg, name).map(([n, s]) => cat("consignee", "has", n, s)),
  fc.tuple(neg, name).map(([n, s]) => cat("item", "is", n, s)),
  name.map((n) => ["within", n]),
  fc.tuple(fc.constantFrom("amount", "quantity", "capacity", "tpp", "density", "operations"), cmp, qty).map(([m, o, q]) => cat(m, o, q)),
  fc.tuple(cmp, date).map(([o, d]) => ["date", o, d]),
  fc.constantFrom("chip", "model", "datacenter", "open", "true", "false").map((f) => [f]),
);

const { condition } = fc.letrec<{ condition: Tokens; conjunction: Tokens; unary: Tokens }>((tie) => ({
  unary: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    atom,
    tie("unary").map((u) => cat("not", u)),
    tie("condition").map((c) => cat("(", c, ")")),
  ),
  conjunction: fc.tuple(tie("unary"), fc.array(tie("unary"), { maxLength: 2 })).map(([first, rest]) =>
    cat(
      first,
      rest.flatMap((u) => cat("and", u)),
    ),
  ),
  condition: fc.tuple(tie("conjunction"), fc.array(tie("conjunction"), { maxLength: 2 })).map(([first, rest]) =>
    cat(
      first,
      rest.flatMap((c) => cat("or", c)),
    ),
  ),
}));

const when: Arb = fc.tuple(condition, cite).map(([c, ci]) => cat("when", c, ci));
const note: Arb = fc.tuple(str, cite).map(([s, ci]) => cat("note", s, ci));
const citeClause: Arb = str.map((s) => ["cite", s]);
const title: Arb = opt(strT);
const block = (clause: Arb, max = 4): Arb =>
  fc.array(clause, { maxLength: max }).map((cs) =>
    cat(
      "{",
      LINE_END,
      cs.flatMap((c) => cat(c, LINE_END)),
      "}",
    ),
  );
const named = (keyword: string, clause: Arb): Arb => fc.tuple(name, title, cite, block(clause)).map(([n, t, ci, b]) => cat(keyword, n, t, ci, b));

// ---------------------------------------------------------------------------
// Declarations

const importDecl: Arb = str.map((s) => ["import", s]);

const policyDecl: Arb = fc
  .tuple(
    str,
    cite,
    block(
      fc.oneof(
        fc.tuple(fc.constantFrom("version", "supersedes"), str, cite).map(([k, s, ci]) => cat(k, s, ci)),
        fc.tuple(fc.constantFrom("effective", "until", "compliance"), date, cite).map(([k, d, ci]) => cat(k, d, ci)),
        citeClause,
        note,
      ),
    ),
  )
  .map(([t, ci, b]) => cat("policy", t, ci, b));

const policySetDecl: Arb = fc
  .tuple(
    str,
    cite,
    block(
      fc.oneof(
        str.map((s) => ["use", s]),
        note,
      ),
    ),
  )
  .map(([t, ci, b]) => cat("policyset", t, ci, b));

const groupDecl: Arb = fc.tuple(name, title, cite, setExpr).map(([n, t, ci, e]) => cat("group", n, t, ci, "=", e));

const disjointDecl: Arb = fc.tuple(names, cite).map(([ns, ci]) => cat("disjoint", ns, ci));

const itemDecl = named(
  "item",
  fc.oneof(
    fc.tuple(fc.constantFrom("tpp", "density"), qty, cite).map(([k, q, ci]) => cat(k, q, ci)),
    fc.tuple(str, cite).map(([s, ci]) => cat("eccn", s, ci)),
    fc.tuple(fc.constantFrom("yes", "no"), cite).map(([v, ci]) => cat("datacenter", v, ci)),
    citeClause,
    note,
  ),
);

const modelDecl = named(
  "model",
  fc.oneof(
    fc.tuple(qty, cite).map(([q, ci]) => cat("operations", q, ci)),
    fc.tuple(fc.constantFrom("open", "closed"), cite).map(([v, ci]) => cat("weights", v, ci)),
    citeClause,
    note,
  ),
);

const classDecl = named(
  "class",
  fc.oneof(
    fc.tuple(str, cite).map(([s, ci]) => cat("eccn", s, ci)),
    when,
    citeClause,
    note,
  ),
);

const keyPart = fc.constantFrom("destination", "headquarters", "consignee", "exporter", "global");
const capKey: Arb = fc.array(keyPart, { minLength: 1, maxLength: 3 }).map((ps) => ps.flatMap((p, i) => (i === 0 ? [p] : ["x", p])));
const windowT: Arb = fc.oneof(
  fc.constant(["calendar", "year"]),
  fc.tuple(date, date).map(([a, b]) => [a, "..", b]),
  fc.tuple(num, fc.constantFrom("days", "months", "years")).map(([n, u]) => ["rolling", n, u]),
  fc.constant(["all", "time"]),
);
const step: Arb = fc.tuple(date, qty, cite).map(([d, q, ci]) => cat("through", d, "limit", q, ci));

const capDecl = named(
  "cap",
  fc.oneof(
    fc.tuple(qty, cite).map(([q, ci]) => cat("limit", q, ci)),
    fc.tuple(capKey, cite).map(([k, ci]) => cat("per", k, ci)),
    fc.tuple(windowT, cite).map(([w, ci]) => cat("window", w, ci)),
    fc.tuple(block(step, 3), cite).map(([b, ci]) => cat("schedule", b, ci)),
    fc.tuple(qty, condition, cite).map(([q, c, ci]) => cat("times", q, "when", c, ci)),
    when,
    citeClause,
    note,
  ),
);

const authClause: Arb = fc.oneof(
  when,
  fc.tuple(names, cite).map(([ns, ci]) => cat("within", ns, ci)),
  fc.tuple(fc.oneof(fc.constant(["nothing"]), names), cite).map(([ns, ci]) => cat("counts", "toward", ns, ci)),
  fc.tuple(str, cite).map(([s, ci]) => cat("requires", s, ci)),
  citeClause,
  note,
);
const exceptionDecl = named("exception", authClause);
const statusDecl = named("status", authClause);

const review = fc.constantFrom(["presumption", "of", "approval"], ["case-by-case"], ["presumption", "of", "denial"]);
const whenOpt: Arb = opt(condition.map((c) => cat("when", c)));
const reviewCase: Arb = fc
  .tuple(
    review,
    fc.oneof(
      condition.map((c) => cat("when", c)),
      fc.constant(["otherwise"]),
    ),
    cite,
  )
  .map(([r, w, ci]) => cat("review", r, w, ci));
const rule: Arb = fc.oneof(
  fc.tuple(whenOpt, cite).map(([w, ci]) => cat("prohibit", w, ci)),
  fc.tuple(name, whenOpt, cite).map(([n, w, ci]) => cat("authorize", n, w, ci)),
  fc
    .tuple(
      opt(names.map((ns) => cat("charging", ns))),
      whenOpt,
      fc.oneof(
        fc.tuple(review, whenOpt).map(([r, w]) => cat("review", r, w)),
        block(reviewCase, 3),
      ),
      cite,
    )
    .map(([ch, w, r, ci]) => cat("license", ch, w, r, ci)),
  citeClause,
  note,
);
const decideDecl: Arb = fc.tuple(name, title, names, cite, block(rule, 5)).map(([n, t, cs, ci, b]) => cat("decide", n, t, "for", cs, ci, b));

export const declaration: Arb = fc.oneof(
  importDecl,
  policyDecl,
  policySetDecl,
  groupDecl,
  disjointDecl,
  itemDecl,
  modelDecl,
  classDecl,
  capDecl,
  exceptionDecl,
  statusDecl,
  decideDecl,
);

/** A whole file as tokens. */
export const policyTokens: Arb = fc.array(declaration, { minLength: 1, maxLength: 5 }).map((ds) => ds.flatMap((d) => cat(d, LINE_END)));
