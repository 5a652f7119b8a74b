/**
 * The printer: one small function per node kind, in a table the compiler checks for
 * completeness, over shared helpers for blocks, name lists and operator chains.
 */
import type { AstPath, Doc, ParserOptions } from "prettier";
import { builders } from "prettier/doc";
import type { CompareOp, SetMember, UnitKeyword } from "@diffuse/language";
import {
  type Separator,
  blockItems,
  hasBraceComments,
  hasBreakingLeadingComment,
  hasLeadingComments,
  hasLeadingLineComment,
  keywordComments,
  printWithComments,
  hasLineCommentTrailing,
  printBlockDangling,
  printBraceComments,
  printGap,
  printRemainingDangling,
  printRootDangling,
} from "./comments.js";
import { type AnyNode, type DiffuseNode, type NodeKind, type NodeOf, isComment, isDiffuseNode, isShortLicense, splitLicenseCondition } from "./nodes.js";
import { isNextLineEmpty } from "./text.js";

const { fill, group, hardline, indent, join, line, lineSuffix, lineSuffixBoundary } = builders;

type Selector = string | number | (string | number)[];

/** What a node printer gets besides its node. */
export interface PrintContext {
  readonly path: AstPath<AnyNode>;
  readonly options: ParserOptions<AnyNode>;
  /** Prints a child: `c.print("title")`, `c.print(["clauses", 2])`. */
  readonly print: (selector: Selector) => Doc;
  /** The original source text (line endings normalized by Prettier). */
  readonly text: string;
  /**
   * The node's own keywords (`"when"`, `"presumption of approval"`, `","`), each after
   * `separator` (the words of a phrase after a space) and after the comments written
   * before it. Printers pass every keyword of their node through here, in source order.
   */
  readonly kw: (words: string, separator?: Separator) => Doc;
}

type NodePrinter<N> = (node: N, c: PrintContext) => Doc;

/** Keys of `N` holding an array of child nodes. */
type ListKey<N> = { [P in keyof N]-?: NonNullable<N[P]> extends readonly DiffuseNode[] ? P : never }[keyof N] & string;

// ---------------------------------------------------------------------------
// Shared helpers

const optional = (present: unknown, doc: () => Doc): Doc => (present === undefined ? "" : doc());

/** ` cite "..."` after a clause or a declaration title. */
function cite(node: { readonly cite?: unknown }, c: PrintContext): Doc {
  return optional(node.cite, () => [" ", c.print("cite")]);
}

/**
 * ` cite "..."` that ends a line (a clause, a rule): printed as a line suffix, so a long
 * citation, which cannot break, does not make the condition before it break.
 */
function endCite(node: { readonly cite?: unknown }, c: PrintContext): Doc {
  // The boundary first flushes a pending line comment (`eccn "x" // note`), which must not swallow the citation.
  return optional(node.cite, () => [lineSuffixBoundary, lineSuffix([" ", c.print("cite")])]);
}

/** `keyword name "Title" cite "..."`: the head of a named declaration. */
function header(keyword: string, node: { readonly title?: unknown; readonly cite?: unknown }, c: PrintContext, extra: () => Doc = () => ""): Doc {
  return [c.kw(keyword, ""), " ", c.print("name"), optional(node.title, () => [" ", c.print("title")]), extra(), cite(node, c)];
}

/**
 * Items of a list, one per line; a blank line in the source between two items is kept
 * (a run of blank lines becomes one).
 */
function printLines<N>(node: N, key: ListKey<N>, c: PrintContext): Doc[] {
  const items = node[key] as readonly DiffuseNode[];
  const parts: Doc[] = [];
  items.forEach((item, i) => {
    if (i > 0) {
      const prev = items[i - 1];
      parts.push(hardline);
      if (prev && isNextLineEmpty(c.text, prev.range.end)) parts.push(hardline);
    }
    parts.push(c.print([key, i]));
  });
  return parts;
}

/** ` { ... }`: a block of items, one per line, with the comments written inside it and after its `{`. */
function block<N>(node: N, key: ListKey<N>, c: PrintContext): Doc {
  const open = c.kw("{");
  const brace = printBraceComments(c.path, c.text);
  const lines = printLines(node, key, c);
  const dangling = printBlockDangling(c.path);
  if (lines.length === 0 && dangling.length === 0) {
    if (brace.length > 0) return [open, indent(brace), hardline, "}"];
    // `{ // note` before an empty block: the note keeps the line, so `}` goes below.
    const headerNote = Object.values(node as object)
      .flat()
      .some((v: unknown) => isDiffuseNode(v) && hasLineCommentTrailing(v));
    return headerNote ? [open, hardline, "}"] : [open, "}"];
  }
  const body = lines.length > 0 ? [join(hardline, dangling), dangling.length > 0 ? hardline : "", ...lines] : join(hardline, dangling);
  return [open, indent([brace, hardline, body]), hardline, "}"];
}

/** `a, b, c`, filled to the print width, continuation lines indented (or on one line: `breakable` false). */
function nameList<N>(node: N, key: ListKey<N>, c: PrintContext, breakable = true): Doc {
  const items = node[key] as readonly DiffuseNode[];
  const parts: Doc[] = [];
  items.forEach((item, i) => {
    const prev = items[i - 1];
    // Before an item with a line comment in front, the comment's own line break is the only one.
    if (prev) parts.push(hasLineCommentTrailing(prev) ? hardline : hasLeadingComments(item, "line") ? " " : breakable ? line : " ");
    parts.push([c.print([key, i]), i < items.length - 1 ? c.kw(",", "") : ""]);
  });
  return indent(fill(parts));
}

/** `(inner)`: a line comment before the inner part needs a space after the `(`. */
function parenthesized(inner: DiffuseNode, c: PrintContext): Doc {
  return [c.kw("(", ""), hasLeadingLineComment(inner) ? " " : "", c.print("inner"), c.kw(")", "")];
}

const UNIT_TEXT: { readonly [U in UnitKeyword]: string } = {
  TPP: "TPP",
  units: "units",
  ops: "ops",
  percent: "%",
  days: "days",
  months: "months",
  years: "years",
  count: "",
};

const isPlainMember = (m: SetMember): boolean => m.from === undefined && m.until === undefined && m.cite === undefined;

/**
 * `{ AU BE CA }`: countries filled to the print width. A dated or cited member sits on
 * a line of its own when the set has several members; members are never reordered.
 * Comments after the `{` on its line stay there, which breaks the set over lines.
 */
function setLiteral(node: NodeOf<"SetLiteral">, c: PrintContext): Doc {
  const { members } = node;
  const brace = printBraceComments(c.path, c.text);
  if (members.length === 0) {
    const dangling = printBlockDangling(c.path, "all");
    if (brace.length === 0 && dangling.length === 0) return "{}";
    return ["{", indent([brace, dangling.length > 0 ? hardline : "", join(hardline, dangling)]), hardline, "}"];
  }
  const ownLine = members.length > 1 ? (m: SetMember) => !isPlainMember(m) : () => false;
  const parts: Doc[] = [];
  members.forEach((member, i) => {
    const prev = members[i - 1];
    if (prev) {
      if (isNextLineEmpty(c.text, prev.range.end)) parts.push([hardline, hardline]);
      else if (ownLine(prev) || ownLine(member) || hasLineCommentTrailing(prev) || hasBreakingLeadingComment(member)) parts.push(hardline);
      else parts.push(line);
    }
    parts.push(c.print(["members", i]));
  });
  return group(["{", indent([brace, line, fill(parts)]), line, "}"]);
}

/** One step of a set chain: the operator, the operand's doc and node. */
interface ChainStep {
  readonly op: string;
  readonly doc: Doc;
  readonly operand: DiffuseNode;
  /** Whether the operator is the printed node's own (comments before it are printed with it); the flattened inner nodes have none. */
  readonly own: boolean;
}

/** Flattens a left-associative chain `a + b - c` into its first operand and (operator, operand) steps. */
function setChain(c: PrintContext, node: NodeOf<"SetBinary">, selector: (string | number)[] = []): { first: Doc; steps: ChainStep[] } {
  const left = node.left;
  const right: ChainStep = { op: node.op, doc: c.print([...selector, "right"]), operand: node.right, own: selector.length === 0 };
  if (left.kind === "SetBinary" && !hasComments(left)) {
    const inner = setChain(c, left, [...selector, "left"]);
    return { first: inner.first, steps: [...inner.steps, right] };
  }
  return { first: c.print([...selector, "left"]), steps: [right] };
}

const hasComments = (node: DiffuseNode): boolean => ((node as { comments?: unknown[] }).comments?.length ?? 0) > 0;

const isSimpleSet = (node: DiffuseNode): boolean => node.kind === "GroupRef" || node.kind === "AllCountries";

/**
 * `all - tier1 - tier3`. A chain of names ending in a literal hugs the literal
 * (`d5 + {` ... `}`); any other chain that does not fit breaks before each operator.
 */
function setBinary(node: NodeOf<"SetBinary">, c: PrintContext): Doc {
  const { first, steps } = setChain(c, node);
  let leftmost: DiffuseNode = node;
  while (leftmost.kind === "SetBinary" && !hasComments(leftmost)) leftmost = leftmost.left;
  const operands = [leftmost, ...steps.map((s) => s.operand)];
  const last = operands[operands.length - 1];
  const operator = (step: ChainStep, separator: "line" | " "): Doc => (step.own ? c.kw(step.op, separator) : [separator === "line" ? line : " ", step.op]);
  if (last?.kind === "SetLiteral" && operands.slice(0, -1).every(isSimpleSet)) {
    return [first, ...steps.map((step) => [operator(step, " "), " ", step.doc])];
  }
  return group([first, indent(steps.map((step) => [operator(step, "line"), " ", step.doc]))]);
}

/** A chain of names ending in a literal (`d5 + {`) with a comment after the literal's `{`. */
function hugsBraceComment(node: DiffuseNode): boolean {
  if (node.kind !== "SetBinary" || node.right.kind !== "SetLiteral" || !hasBraceComments(node.right)) return false;
  let left: DiffuseNode = node.left;
  while (left.kind === "SetBinary" && isSimpleSet(left.right)) left = left.left;
  return isSimpleSet(left);
}

/** `a and b and c` / `a or b`: breaks before each operator, continuation indented. */
function logical(keyword: "and" | "or", node: NodeOf<"AndCondition"> | NodeOf<"OrCondition">, c: PrintContext): Doc {
  // The first operand is indented too: where it breaks itself (an `and` chain inside an
  // `or` chain, a parenthesized chain), its lines go one step further than this chain's.
  const ops = node.operands.map((_, i) => (i === 0 ? indent(c.print(["operands", i])) : [c.kw(keyword, "line"), " ", c.print(["operands", i])]));
  const [first, ...rest] = ops;
  return group([first ?? "", indent(rest)]);
}

const COMPARE: { readonly [O in CompareOp]: string } = { "<": "<", "<=": "<=", ">": ">", ">=": ">=", "=": "=", "!=": "!=" };

const REVIEW_TEXT = {
  "presumption-of-approval": "presumption of approval",
  "case-by-case": "case-by-case",
  "presumption-of-denial": "presumption of denial",
} as const;

/** `keyword "text" cite "..."`: clauses whose only child is one value. */
const keywordValue =
  <K extends NodeKind>(keyword: string, key: string): NodePrinter<NodeOf<K>> =>
  (node, c) => [c.kw(keyword, ""), " ", c.print(key), endCite(node as { cite?: unknown }, c)];

/** `when COND` after a rule's keyword or name. */
const whenCondition = (node: { readonly condition?: unknown }, c: PrintContext): Doc =>
  optional(node.condition, () => [c.kw("when"), " ", c.print("condition")]);

// ---------------------------------------------------------------------------
// The printer table: one entry per node kind.

type PrinterTable = { readonly [K in NodeKind]: NodePrinter<NodeOf<K>> };

const printers: PrinterTable = {
  SourceFile: (node, c) => {
    const parts: Doc[] = [];
    node.declarations.forEach((decl, i) => {
      const prev = node.declarations[i - 1];
      if (prev) {
        const keepTogether = prev.kind === "ImportDecl" && decl.kind === "ImportDecl" && !isNextLineEmpty(c.text, prev.range.end);
        parts.push(keepTogether ? hardline : [hardline, hardline]);
      }
      parts.push(c.print(["declarations", i]));
    });
    const dangling = printRootDangling(c.path, c.text);
    return [parts, parts.length > 0 && dangling.length > 0 ? hardline : "", dangling, hardline];
  },
  Missing: () => "",
  ErrorClause: (node, c) => c.text.slice(node.range.start, node.range.end),

  // leaves
  Identifier: (node) => node.name,
  StringLiteral: (node) => node.raw,
  DateLiteral: (node) => node.raw,
  NumberLiteral: (node) => node.raw,
  CountryCode: (node) => node.code,
  Citation: (_, c) => [c.kw("cite", ""), " ", c.print("text")],

  // quantities
  Quantity: (node, c) => (node.unit === "count" ? c.print("value") : [c.print("value"), c.kw(UNIT_TEXT[node.unit])]),
  ItemMultiple: (_, c) => [c.print("count"), c.kw("x"), " ", c.print("item")],
  PercentOfCapacity: (_, c) => [c.print("percent"), c.kw("of capacity")],

  // country sets
  SetLiteral: setLiteral,
  SetMember: (node, c) => [
    c.print("country"),
    optional(node.from, () => [c.kw("from"), " ", c.print("from")]),
    optional(node.until, () => [c.kw("until"), " ", c.print("until")]),
    cite(node, c),
  ],
  AllCountries: () => "all",
  GroupRef: (_, c) => c.print("name"),
  SetBinary: setBinary,
  SetParen: (node, c) => parenthesized(node.inner, c),

  // conditions
  InCondition: (node, c) => [c.kw(node.subject, ""), node.negated ? c.kw("not") : "", c.kw("in"), " ", c.print("set")],
  HasCondition: (node, c) => [c.kw("consignee has", ""), node.negated ? c.kw("not") : "", " ", c.print("status")],
  IsCondition: (node, c) => [c.kw("item is", ""), node.negated ? c.kw("not") : "", " ", c.print("itemClass")],
  WithinCondition: (_, c) => [c.kw("within", ""), " ", c.print("cap")],
  CompareCondition: (node, c) => [c.kw(node.measure, ""), c.kw(COMPARE[node.op]), " ", c.print("value")],
  DateCondition: (node, c) => [c.kw("date", ""), c.kw(COMPARE[node.op]), " ", c.print("value")],
  FlagCondition: (node) => node.flag,
  NotCondition: (_, c) => [c.kw("not", ""), " ", c.print("operand")],
  AndCondition: (node, c) => logical("and", node, c),
  OrCondition: (node, c) => logical("or", node, c),
  ParenCondition: (node, c) => parenthesized(node.inner, c),

  // clauses shared by several blocks
  WhenClause: (node, c) => [c.kw("when", ""), " ", c.print("condition"), endCite(node, c)],
  NoteClause: keywordValue("note", "text"),
  CiteClause: (_, c) => c.print("cite"),

  // imports, the policy header, policy sets
  ImportDecl: (_, c) => [c.kw("import", ""), " ", c.print("path")],
  PolicyDecl: (node, c) => [c.kw("policy", ""), " ", c.print("title"), cite(node, c), block(node, "clauses", c)],
  VersionClause: keywordValue("version", "value"),
  EffectiveClause: keywordValue("effective", "date"),
  UntilClause: keywordValue("until", "date"),
  ComplianceClause: keywordValue("compliance", "date"),
  SupersedesClause: keywordValue("supersedes", "version"),
  PolicySetDecl: (node, c) => [c.kw("policyset", ""), " ", c.print("title"), cite(node, c), block(node, "uses", c)],
  UseClause: (_, c) => [c.kw("use", ""), " ", c.print("path")],

  // groups
  GroupDecl: (node, c) => {
    const head = header("group", node, c);
    // A comment before the value stays right after the `=`, where it was written; one after the `{` of a
    // chain's literal (`= d5 + { // note`) keeps the chain on the header's line, as a literal's would.
    if (node.value.kind === "SetLiteral" || isSimpleSet(node.value) || hasLeadingComments(node.value) || hugsBraceComment(node.value)) {
      return [head, c.kw("="), " ", c.print("value")];
    }
    return [head, group([c.kw("="), indent([line, c.print("value")])])];
  },
  DisjointDecl: (node, c) => [c.kw("disjoint", ""), " ", nameList(node, "groups", c), endCite(node, c)],

  // catalog
  ItemDecl: (node, c) => [header("item", node, c), block(node, "clauses", c)],
  TppClause: keywordValue("tpp", "value"),
  DensityClause: keywordValue("density", "value"),
  EccnClause: keywordValue("eccn", "value"),
  DatacenterClause: (node, c) => [c.kw("datacenter", ""), c.kw(node.value ? "yes" : "no"), endCite(node, c)],
  ModelDecl: (node, c) => [header("model", node, c), block(node, "clauses", c)],
  OperationsClause: keywordValue("operations", "value"),
  WeightsClause: (node, c) => [c.kw("weights", ""), c.kw(node.open ? "open" : "closed"), endCite(node, c)],
  ClassDecl: (node, c) => [header("class", node, c), block(node, "clauses", c)],

  // caps
  CapDecl: (node, c) => [header("cap", node, c), block(node, "clauses", c)],
  CapKey: (node, c) => node.parts.map((p, i) => (i === 0 ? c.kw(p.part, "") : [c.kw("x"), c.kw(p.part)])),
  LimitClause: keywordValue("limit", "value"),
  PerClause: keywordValue("per", "key"),
  WindowClause: keywordValue("window", "window"),
  CalendarYearWindow: (_, c) => c.kw("calendar year", ""),
  FixedWindow: (_, c) => [c.print("from"), c.kw(".."), " ", c.print("to")],
  RollingWindow: (_, c) => [c.kw("rolling", ""), " ", c.print("length")],
  AllTimeWindow: (_, c) => c.kw("all time", ""),
  ScheduleClause: (node, c) => [c.kw("schedule", ""), block(node, "steps", c), endCite(node, c)],
  ScheduleStep: (node, c) => [c.kw("through", ""), " ", c.print("through"), c.kw("limit"), " ", c.print("limit"), endCite(node, c)],
  TimesClause: (node, c) => [c.kw("times", ""), " ", c.print("factor"), c.kw("when"), " ", c.print("condition"), endCite(node, c)],

  // exceptions and statuses
  ExceptionDecl: (node, c) => [header("exception", node, c), block(node, "clauses", c)],
  StatusDecl: (node, c) => [header("status", node, c), block(node, "clauses", c)],
  WithinClause: (node, c) => [c.kw("within", ""), " ", nameList(node, "caps", c), endCite(node, c)],
  CountsTowardClause: (node, c) => [c.kw("counts toward", ""), node.nothing ? c.kw("nothing") : [" ", nameList(node, "caps", c)], endCite(node, c)],
  RequiresClause: keywordValue("requires", "text"),

  // decisions
  DecideDecl: (node, c) => [header("decide", node, c, () => [c.kw("for"), " ", nameList(node, "classes", c, false)]), block(node, "rules", c)],
  ProhibitRule: (node, c) => [c.kw("prohibit", ""), whenCondition(node, c), endCite(node, c)],
  AuthorizeRule: (node, c) => [c.kw("authorize", ""), " ", c.print("basis"), whenCondition(node, c), endCite(node, c)],
  LicenseRule: (node, c) => {
    const start = c.kw("license", "");
    const charging = node.charging.length > 0 ? [c.kw("charging"), " ", nameList(node, "charging", c)] : "";
    if (!isShortLicense(node, c.text)) {
      return [start, charging, whenCondition(node, c), block(node, "reviews", c), endCite(node, c)];
    }
    // `license when A review P when B`: the parser joined the two conditions; print them where they were.
    if (splitLicenseCondition(node)) {
      const before = [c.kw("when"), " ", c.print(["condition", "operands", 0])];
      const review = [" ", c.print(["reviews", 0])];
      return [start, charging, before, review, c.kw("when"), " ", c.print(["condition", "operands", 1]), endCite(node, c)];
    }
    // The condition stays on the side of the review where it was written.
    const review = node.reviews[0];
    if (node.condition && review && node.condition.range.end <= review.range.start) {
      const before = whenCondition(node, c);
      return [start, charging, before, " ", c.print(["reviews", 0]), endCite(node, c)];
    }
    const printedReview = [" ", c.print(["reviews", 0])];
    return [start, charging, printedReview, whenCondition(node, c), endCite(node, c)];
  },
  ReviewCase: (node, c) => {
    const parent = c.path.parent;
    const short = parent !== null && parent.kind === "LicenseRule" && isShortLicense(parent, c.text);
    const start = [c.kw("review", ""), " ", c.print("review")];
    if (short) return start;
    return [start, node.condition === undefined ? c.kw("otherwise") : [c.kw("when"), " ", c.print("condition")], endCite(node, c)];
  },
  Review: (node, c) => c.kw(REVIEW_TEXT[node.policy], ""),
};

/** A keyword of a node without comments of its own. */
const plainKeyword = (words: string, separator: Separator = " "): Doc =>
  separator === "line" ? [line, words] : separator === "printed" ? words : separator + words;

/** The keywords of a node that keeps comments before some of them; the calls come in source order. */
function keywordsWithComments(node: DiffuseNode, text: string): PrintContext["kw"] {
  const seen = new Map<string, number>();
  return (words, separator = " ") =>
    words.split(" ").map((word, i) => {
      const index = seen.get(word) ?? 0;
      seen.set(word, index + 1);
      return [printGap(keywordComments(node, word, index), i === 0 ? separator : " ", text), word];
    });
}

const hasDangling = (node: DiffuseNode): boolean =>
  (node as { comments?: readonly { leading?: boolean; trailing?: boolean }[] }).comments?.some((c) => c.leading !== true && c.trailing !== true) ?? false;

/** Prints the node at `path` with the entry of its kind, then any comment left dangling in it. */
export function printNode(path: AstPath<AnyNode>, options: ParserOptions<AnyNode>, print: (selector?: Selector) => Doc): Doc {
  const node = path.node;
  if (isComment(node)) return "";
  const text = options.originalText;
  const kw = hasDangling(node) ? keywordsWithComments(node, text) : plainKeyword;

  const context: PrintContext = { path, options, print: (s) => print(s), text, kw };
  const printer = printers[node.kind] as NodePrinter<DiffuseNode>;
  const doc = printer(node, context);
  if (node.kind === "SourceFile") return doc;
  const parent = path.parent;
  const endsLine = startsLine(node, parent, context.text) || parent?.kind === "SetLiteral";
  return printWithComments(node, [doc, printRemainingDangling(path)], context.text, startsLine(node, parent, context.text), endsLine);
}

/** Whether the node is printed at the start of a line: a declaration, a block item, a set member put on its own line. */
function startsLine(node: DiffuseNode, parent: AnyNode | null, text: string): boolean {
  if (parent === null || isComment(parent)) return false;
  if (parent.kind === "SourceFile") return true;
  if (parent.kind === "SetLiteral") return hasBreakingLeadingComment(node);
  if (parent.kind === "LicenseRule" && isShortLicense(parent, text)) return false;
  return blockItems(parent)?.includes(node) ?? false;
}
