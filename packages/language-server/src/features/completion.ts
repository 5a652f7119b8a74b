/**
 * textDocument/completion from a small context analysis of the tokens before the
 * cursor: which block the cursor is in (by the unclosed `{` and the words before it)
 * and the last one or two words. It offers the keywords valid there, the declared
 * names of the kind the position expects, ISO country codes inside set literals, and
 * snippets for each construct.
 */
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList } from "vscode-languageserver";
import { COUNTRY_CODES, countryName, tokenize } from "@diffuse/language";
import type { TokenInfo } from "@diffuse/language";
import type { Analysis, DeclKind } from "../analysis.js";

type Block = "top" | "set" | "policy" | "policyset" | "item" | "model" | "class" | "cap" | "schedule" | "exception" | "status" | "decide" | "license";

const BLOCK_KEYWORDS = new Map<string, Block>([
  ["policy", "policy"],
  ["policyset", "policyset"],
  ["item", "item"],
  ["model", "model"],
  ["class", "class"],
  ["cap", "cap"],
  ["schedule", "schedule"],
  ["exception", "exception"],
  ["status", "status"],
  ["decide", "decide"],
  ["license", "license"],
]);

/** Words that, just before `{`, start a set literal rather than a block. */
const SET_OPENERS = new Set(["=", "in", "+", "-", "&", "("]);

/** Condition starters about an order (rules, exceptions, statuses, caps). */
const ORDER_CONDITIONS = ["destination", "headquarters", "consignee", "item", "within", "amount", "quantity", "capacity", "date", "true", "false", "not"];
/** Condition starters about one item line (classes). */
const LINE_CONDITIONS = ["chip", "model", "datacenter", "open", "tpp", "density", "operations", "true", "false", "not"];

function conditionStarters(block: Block): readonly string[] {
  return block === "class" ? LINE_CONDITIONS : ORDER_CONDITIONS;
}

const CLAUSES: Record<Exclude<Block, "top" | "set">, readonly string[]> = {
  policy: ["version", "effective", "until", "compliance", "supersedes", "cite", "note"],
  policyset: ["use", "note"],
  item: ["tpp", "density", "eccn", "datacenter", "note", "cite"],
  model: ["operations", "weights", "note", "cite"],
  class: ["eccn", "when", "note", "cite"],
  cap: ["limit", "per", "window", "schedule", "times", "when", "note", "cite"],
  schedule: ["through"],
  exception: ["when", "within", "counts", "requires", "note", "cite"],
  status: ["when", "within", "counts", "requires", "note", "cite"],
  decide: ["prohibit", "authorize", "license", "note", "cite"],
  license: ["review"],
};

const TOP_LEVEL = ["import", "policy", "policyset", "group", "disjoint", "item", "model", "class", "cap", "exception", "status", "decide"];

/** Top-level keywords followed by the name or string they declare: nothing to offer after them. */
const DECLARING = new Set(["import", "policy", "policyset", "group", "item", "model", "class", "cap", "exception", "status", "decide"]);

/**
 * Words inside a block followed by a value (a string, a date, a number) or, for a
 * measure in a condition, a comparison: no keyword or declared name fits after them.
 */
const VALUE_AFTER = new Set([
  "cite",
  "note",
  "version",
  "supersedes",
  "eccn",
  "use",
  "requires",
  "effective",
  "until",
  "compliance",
  "through",
  "..",
  "limit",
  "times",
  "rolling",
  "tpp",
  "density",
  "operations",
  "amount",
  "quantity",
  "date",
]);

const isNameImage = (image: string | undefined): boolean => image !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(image);
const isStringImage = (image: string | undefined): boolean => image?.startsWith('"') === true;

/** Whether only a value can come after `prev` (`cap |`, `cite |`, `limit |`, `window 2025-01-01 .. |`). */
function valueExpected(prev: string, block: Block): boolean {
  return block === "top" ? DECLARING.has(prev) || prev === "cite" : VALUE_AFTER.has(prev);
}

/**
 * The keywords that may follow a declaration header whose name (and perhaps title) was just
 * written (`group tier1 |`, `decide d "T" |`, `policy "P" |`); undefined elsewhere. A
 * decide block names its classes next; the others may take a citation.
 */
function headerKeywords(before: readonly string[]): string[] | undefined {
  const [prev, prev2, prev3] = before;
  let keyword: string | undefined;
  if (isNameImage(prev) && prev2 !== undefined && DECLARING.has(prev2)) keyword = prev2;
  else if (isStringImage(prev) && isNameImage(prev2) && prev3 !== undefined && DECLARING.has(prev3)) keyword = prev3;
  else if (isStringImage(prev) && (prev2 === "policy" || prev2 === "policyset")) keyword = prev2;
  if (keyword === undefined || keyword === "import") return undefined;
  return keyword === "decide" ? ["for"] : ["cite"];
}

const KEY_PARTS = ["destination", "headquarters", "consignee", "exporter", "global"];
const UNITS = ["TPP", "units", "ops", "%", "days", "months", "years", "x"];

interface Snippet {
  readonly label: string;
  readonly detail: string;
  readonly body: string;
}

const TOP_SNIPPETS: readonly Snippet[] = [
  {
    label: "policy",
    detail: "policy header",
    body: 'policy "${1:title}" cite "${2:citation}" {\n  version "${3:2025-01}"\n  effective ${4:2025-01-13}\n}',
  },
  { label: "import", detail: "import a file", body: 'import "${1:catalog.diffuse}"' },
  { label: "group", detail: "country group", body: 'group ${1:name} "${2:title}" = { ${3:US} }' },
  { label: "disjoint", detail: "groups that never overlap", body: "disjoint ${1:tier1}, ${2:tier2}" },
  { label: "item", detail: "catalog item", body: 'item ${1:H100} "${2:title}" {\n  tpp ${3:15_832} TPP\n  density ${4:19.45}\n  eccn "${5:3A090.a}"\n}' },
  { label: "model", detail: "model weights", body: 'model ${1:name} "${2:title}" {\n  operations ${3:1e26} ops\n  weights ${4|closed,open|}\n}' },
  { label: "class", detail: "item class", body: 'class ${1:name} "${2:title}" {\n  eccn "${3:3A090.a}"\n  when ${4:chip and datacenter}\n}' },
  {
    label: "cap",
    detail: "cap with a limit and a window",
    body: 'cap ${1:name} "${2:title}" {\n  limit ${3:26_900_000} TPP\n  per ${4|consignee,destination,headquarters,exporter,global|}\n  window ${5:calendar year}\n}',
  },
  {
    label: "cap schedule",
    detail: "cap with a cumulative schedule",
    body: 'cap ${1:name} "${2:title}" {\n  per ${3:consignee x destination}\n  schedule {\n    through ${4:2025-12-31} limit ${5:100_000} x H100\n  }\n}',
  },
  {
    label: "exception",
    detail: "license exception",
    body: 'exception ${1:name} "${2:title}" cite "${3:citation}" {\n  when ${4:destination in tier2}\n  counts toward ${5:nothing}\n}',
  },
  {
    label: "status",
    detail: "end-user status",
    body: 'status ${1:name} "${2:title}" {\n  when ${3:destination not in tier3}\n  counts toward ${4:nothing}\n}',
  },
  {
    label: "decide",
    detail: "decide block",
    body: 'decide ${1:name} "${2:title}" for ${3:class} {\n  ${4:authorize NLR when destination in tier1}\n  license review ${5:case-by-case}\n}',
  },
];

const CLAUSE_SNIPPETS: Partial<Record<Block, readonly Snippet[]>> = {
  cap: [
    { label: "schedule", detail: "cumulative schedule", body: "schedule {\n  through ${1:2025-12-31} limit ${2:100_000} x H100\n}" },
    { label: "times", detail: "limit modifier", body: "times ${1:2} when ${2:destination in g2g}" },
  ],
  decide: [
    {
      label: "license block",
      detail: "license with review cases",
      body: "license charging ${1:cap} when ${2:destination in tier2} {\n  review presumption of approval when within ${1:cap}\n  review presumption of denial otherwise\n}",
    },
  ],
  exception: [{ label: "counts toward", detail: "caps charged", body: "counts toward ${1:nothing}" }],
  status: [{ label: "counts toward", detail: "caps charged", body: "counts toward ${1:nothing}" }],
};

/** Which kinds of declaration a name in this position may refer to. */
function expectedKinds(prev: string | undefined, prev2: string | undefined, listHead: string | undefined): DeclKind[] | undefined {
  switch (prev ?? "") {
    case "in":
    case "disjoint":
      return ["group"];
    case "within":
    case "charging":
      return ["cap"];
    case "toward":
      return ["cap"];
    case "has":
      return ["status"];
    case "is":
    case "for":
      return ["class"];
    case "authorize":
      return ["exception", "status"];
    case "x":
      return prev2 !== undefined && /^\d/.test(prev2) ? ["item"] : undefined;
    case "not":
      if (prev2 === "has") return ["status"];
      if (prev2 === "is") return ["class"];
      return undefined;
    case "+":
    case "-":
    case "&":
    case "(":
      return undefined;
    case ",":
      switch (listHead ?? "") {
        case "disjoint":
          return ["group"];
        case "within":
        case "charging":
        case "toward":
          return ["cap"];
        case "for":
          return ["class"];
        default:
          return undefined;
      }
    default:
      return undefined;
  }
}

interface Context {
  readonly block: Block;
  /** Images of the significant tokens before the cursor (not the word being typed), last first. */
  readonly before: readonly string[];
  /** The keyword that started a comma-separated list the cursor is in, if any. */
  readonly listHead: string | undefined;
  /** Inside a set expression (after `=` of a group, `in`, or a set operator). */
  readonly inSetExpr: boolean;
  /** Country codes already written in the set literal the cursor is in (before the cursor). */
  readonly listed: ReadonlySet<string>;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[A-Za-z0-9_]/.test(ch);
}

/** `destination x consignee` after `per`: the words before the cursor are a cap key (last first). */
function inKeyChain(before: readonly string[], from: number): boolean {
  let i = from;
  for (;;) {
    if (!KEY_PARTS.includes(before[i] ?? "")) return false;
    if (before[i + 1] === "per") return true;
    if (before[i + 1] !== "x") return false;
    i += 2;
  }
}

/**
 * Tokens from the start of the declaration around (or last before) `offset` up to it:
 * the context never reaches further back, and lexing only this much keeps completion
 * fast on long files.
 */
function tokensBefore(analysis: Analysis, offset: number): readonly TokenInfo[] {
  let from = 0;
  for (const decl of analysis.ast.declarations) {
    if (decl.range.start <= offset) from = decl.range.start;
    else break;
  }
  const text = analysis.document.getText();
  return tokenize(text.slice(from, Math.min(text.length, offset + 1))).map((t) => ({
    ...t,
    range: { start: t.range.start + from, end: t.range.end + from },
  }));
}

export function completionContext(analysis: Analysis, offset: number): Context | undefined {
  const text = analysis.document.getText();
  for (const c of analysis.comments) {
    // Right after its end, a line comment or a block comment with no `*/` yet still takes what is typed.
    const open = c.kind === "LineComment" || c.text.length < 4 || !c.text.endsWith("*/");
    if (c.range.start < offset && (offset < c.range.end || (offset === c.range.end && open))) return undefined;
  }
  const lexed = tokensBefore(analysis, offset);
  // Inside a string (a title, a citation, a note being typed, closed or not): no completion.
  if (lexed.some((t) => t.kind === "string" && t.range.start < offset && (offset < t.range.end || t.type === "UnterminatedString"))) return undefined;
  let start = offset;
  while (start > 0 && isWordChar(text[start - 1])) start--;
  const tokens: TokenInfo[] = [];
  for (const token of lexed) {
    if (token.kind === "comment") continue;
    if (token.range.end > start) break;
    tokens.push(token);
  }
  // Find the innermost unclosed `{` and what it opens.
  let depth = 0;
  let block: Block = "top";
  let blockOpen = -1;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const image = tokens[i]?.text;
    if (image === "}") depth++;
    else if (image === "{") {
      if (depth > 0) {
        depth--;
        continue;
      }
      blockOpen = i;
      break;
    }
  }
  if (blockOpen >= 0) {
    const opener = tokens[blockOpen - 1]?.text;
    if (opener !== undefined && SET_OPENERS.has(opener)) block = "set";
    else {
      block = "top";
      // Walk back to the keyword that starts this block (skipping names, titles, cites, conditions).
      for (let i = blockOpen - 1; i >= 0; i--) {
        const image = tokens[i]?.text ?? "";
        if (image === "}") {
          // A set literal in the header (`license when destination in { US } {`): skip it.
          let depth = 1;
          while (i > 0 && depth > 0) {
            i--;
            const t = tokens[i]?.text;
            if (t === "}") depth++;
            else if (t === "{") depth--;
          }
          continue;
        }
        if (image === "{") break;
        const found = BLOCK_KEYWORDS.get(image);
        // `item is X` and a bare `model` flag inside a condition do not open blocks.
        const inCondition =
          (image === "item" && tokens[i + 1]?.text === "is") || (image === "model" && ["when", "and", "or", "not", "("].includes(tokens[i - 1]?.text ?? ""));
        if (found !== undefined && !inCondition) {
          block = found;
          break;
        }
      }
    }
  }
  const before: string[] = [];
  for (let i = tokens.length - 1; i > blockOpen && before.length < 8; i--) before.push(tokens[i]?.text ?? "");
  let listHead: string | undefined;
  for (let i = tokens.length - 1; i > blockOpen; i--) {
    const image = tokens[i]?.text ?? "";
    if (["disjoint", "within", "charging", "toward", "for"].includes(image)) {
      listHead = image;
      break;
    }
    if (image !== "," && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(image)) break;
  }
  const [last, beforeLast] = before;
  const inSetExpr = last === "+" || last === "-" || last === "&" || (last === "(" && beforeLast !== undefined && SET_OPENERS.has(beforeLast));
  const listed = new Set<string>();
  if (block === "set")
    for (let i = blockOpen + 1; i < tokens.length; i++) {
      const t = tokens[i]?.text ?? "";
      if (/^[A-Z]{2}$/.test(t)) listed.add(t);
    }
  return { block, before, listHead, inSetExpr, listed };
}

function keywordItems(words: readonly string[]): CompletionItem[] {
  return words.map((w) => ({ label: w, kind: CompletionItemKind.Keyword }));
}

function snippetItems(snippets: readonly Snippet[]): CompletionItem[] {
  return snippets.map((s) => ({
    label: s.label,
    kind: CompletionItemKind.Snippet,
    detail: s.detail,
    insertText: s.body,
    insertTextFormat: InsertTextFormat.Snippet,
    sortText: `~${s.label}`,
  }));
}

const DECL_ITEM_KIND: Record<DeclKind, CompletionItemKind> = {
  group: CompletionItemKind.Enum,
  item: CompletionItemKind.Struct,
  model: CompletionItemKind.Struct,
  class: CompletionItemKind.Class,
  cap: CompletionItemKind.Constant,
  exception: CompletionItemKind.Function,
  status: CompletionItemKind.Interface,
  decide: CompletionItemKind.Method,
};

/**
 * The group whose set expression the cursor is in (`group NAME ["title"] = ...|`), if any:
 * its own name is not offered there (a group cannot contain itself).
 */
function groupBeingDefined(before: readonly string[]): string | undefined {
  const eq = before.indexOf("=");
  if (eq < 0 || before.slice(0, eq).some((t) => TOP_LEVEL.includes(t))) return undefined;
  const name = before[eq + 1]?.startsWith('"') === true ? eq + 2 : eq + 1;
  return before[name + 1] === "group" ? before[name] : undefined;
}

/** Group names for a set expression, but the group being defined. */
function groupItems(analysis: Analysis, before: readonly string[]): CompletionItem[] {
  const own = groupBeingDefined(before);
  return nameItems(analysis, ["group"]).filter((i) => i.label !== own);
}

function nameItems(analysis: Analysis, kinds: readonly DeclKind[]): CompletionItem[] {
  const seen = new Set<string>();
  const out: CompletionItem[] = [];
  for (const d of analysis.index.declarations) {
    if (!kinds.includes(d.kind) || seen.has(d.name)) continue;
    seen.add(d.name);
    const item: CompletionItem = { label: d.name, kind: DECL_ITEM_KIND[d.kind], detail: d.title !== undefined ? `${d.kind} "${d.title}"` : d.kind };
    out.push(item);
  }
  return out;
}

function countryItems(): CompletionItem[] {
  return COUNTRY_CODES.map((code) => {
    const name = countryName(code) ?? "";
    return { label: code, kind: CompletionItemKind.EnumMember, detail: name, filterText: `${code} ${name}` };
  });
}

const CONDITION_TAIL = ["and", "or", "cite"];

export function completion(analysis: Analysis, offset: number): CompletionList {
  const context = completionContext(analysis, offset);
  const list = (items: CompletionItem[]): CompletionList => ({ isIncomplete: false, items });
  if (context === undefined) return list([]);
  const [prev, prev2] = context.before;

  // Set literals: country codes, and dating keywords after a code.
  if (context.block === "set") {
    const items = countryItems().filter((i) => !context.listed.has(i.label));
    if (prev !== undefined && /^[A-Z]{2}$/.test(prev)) items.push(...keywordItems(["from", "until", "cite"]));
    else if (prev !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(prev)) items.push(...keywordItems(["until", "cite"]));
    return list(items);
  }

  const kinds = expectedKinds(prev, prev2, context.listHead);
  if (kinds !== undefined) {
    const items = nameItems(analysis, kinds);
    if (prev === "in" || (prev === "," && context.listHead === "disjoint")) {
      if (prev === "in") items.push(...keywordItems(["all"]), ...snippetItems([{ label: "{ }", detail: "set literal", body: "{ $1 }" }]));
    }
    if (prev === "authorize") items.push({ label: "NLR", kind: CompletionItemKind.Constant, detail: "no license required" });
    if (prev === "toward") items.push(...keywordItems(["nothing"]));
    if (prev === "has" || prev === "is") items.push(...keywordItems(["not"]));
    return list(items);
  }
  if (context.inSetExpr && prev !== undefined && ["+", "-", "&", "("].includes(prev)) {
    return list([
      ...groupItems(analysis, context.before),
      ...keywordItems(["all"]),
      ...snippetItems([{ label: "{ }", detail: "set literal", body: "{ $1 }" }]),
    ]);
  }

  // A group's set expression: `group g = |`.
  if (context.block === "top" && prev === "=") {
    return list([
      ...groupItems(analysis, context.before),
      ...keywordItems(["all"]),
      ...snippetItems([{ label: "{ }", detail: "set literal", body: "{ $1 }" }]),
    ]);
  }
  // A cap key: `per consignee x |`, and after a complete key the next clause (or `x`).
  if (prev === "x" && inKeyChain(context.before, 1)) return list(keywordItems(KEY_PARTS));
  if (context.block === "cap" && inKeyChain(context.before, 0)) {
    return list([...keywordItems(["x"]), ...keywordItems(CLAUSES.cap), ...snippetItems(CLAUSE_SNIPPETS.cap ?? [])]);
  }
  // A comparison's right-hand side is a number or a date: no keyword or name fits.
  if (prev !== undefined && ["<", "<=", ">", ">=", "=", "!="].includes(prev)) return list([]);
  if (prev !== undefined && valueExpected(prev, context.block)) return list([]);
  if (context.block === "top") {
    const header = headerKeywords(context.before);
    if (header !== undefined) return list(keywordItems(header));
  }
  // `item` in a condition: `item is CLASS`.
  if (prev === "item") return list(keywordItems(["is"]));

  switch (prev ?? "") {
    case "per":
      return list(keywordItems(KEY_PARTS));
    case "window":
      return list([
        ...keywordItems(["calendar", "rolling", "all"]),
        ...snippetItems([
          { label: "calendar year", detail: "each calendar year", body: "calendar year" },
          { label: "all time", detail: "no window", body: "all time" },
          { label: "DATE .. DATE", detail: "fixed window", body: "${1:2025-01-01} .. ${2:2027-12-31}" },
          { label: "rolling", detail: "rolling period", body: "rolling ${1:365} ${2|days,months,years|}" },
        ]),
      ]);
    case "calendar":
      return list(keywordItems(["year"]));
    case "review":
      return list(
        keywordItems(["presumption", "case-by-case"]).concat(
          snippetItems([
            { label: "presumption of approval", detail: "review policy", body: "presumption of approval" },
            { label: "presumption of denial", detail: "review policy", body: "presumption of denial" },
          ]),
        ),
      );
    case "presumption":
      return list(keywordItems(["of"]));
    case "of":
      return list(prev2 === "presumption" ? keywordItems(["approval", "denial"]) : keywordItems(["capacity"]));
    case "weights":
      return list(keywordItems(["open", "closed"]));
    case "counts":
      return list(keywordItems(["toward"]));
    case "license":
      // A rule's `license`: the caps it charges, its condition, or its review (a `{` block of reviews also fits).
      return list(keywordItems(["charging", "when", "review"]));
    case "destination":
    case "headquarters":
      return list(keywordItems(["in", "not"]));
    case "consignee":
      return list(keywordItems(["has"]));
    case "when":
    case "and":
    case "or":
      if (context.block === "class") return list(keywordItems(LINE_CONDITIONS));
      return list([
        ...keywordItems(ORDER_CONDITIONS),
        ...snippetItems([
          { label: "destination in", detail: "destination in a set", body: "destination in ${1:tier2}" },
          { label: "consignee has", detail: "consignee holds a status", body: "consignee has ${1:status}" },
          { label: "item is", detail: "item class", body: "item is ${1:class}" },
        ]),
      ]);
    case "not":
      if (prev2 === "destination" || prev2 === "headquarters") return list(keywordItems(["in"]));
      return list(keywordItems(conditionStarters(context.block)));
    case "%":
      return list(keywordItems(["of"]));
    default:
      break;
  }
  if (prev === "datacenter" && context.block === "item") return list(keywordItems(["yes", "no"]));
  if (prev !== undefined && /^\d[\d_.eE+-]*$/.test(prev) && prev !== "-") {
    if (context.block === "schedule" && prev2 === "through") return list(keywordItems(["limit"]));
    if (/^\d{4}-\d{2}-\d{2}$/.test(prev)) return list(keywordItems(context.block === "schedule" ? ["limit"] : ["..", "cite"]));
    return list(keywordItems(UNITS));
  }

  // Start of a clause (or a declaration at top level), or the tail of a condition.
  if (context.block === "top") {
    return list([...keywordItems(TOP_LEVEL), ...snippetItems(TOP_SNIPPETS)]);
  }
  const words = [...CLAUSES[context.block]];
  if (context.before.slice(0, 6).some((w) => w === "when")) words.push(...CONDITION_TAIL);
  if (context.block === "license") words.push("otherwise", "when");
  // Once each: `cite` is both a clause and a condition's tail.
  return list([...keywordItems([...new Set(words)]), ...snippetItems(CLAUSE_SNIPPETS[context.block] ?? [])]);
}
