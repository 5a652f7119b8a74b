/**
 * What block recovery knows (see `skipUnexpected` in base.ts): for each kind of block,
 * the tokens that start an entry (parsing resumes there), the extra tokens that end it,
 * and how messages name it and what it holds; the keywords that end any block or can
 * never be a name; and the "did you mean" for a misspelt clause keyword.
 */
import type { IToken, TokenType } from "chevrotain";
import * as T from "../tokens.js";
import { imageOf } from "./token-text.js";

/** Declaration keywords that can never appear inside a block: a block missing its `}` ends there. */
export const DECLARATION_ONLY = new Set<TokenType>([T.Import, T.Policy, T.PolicySet, T.Group, T.Disjoint, T.Class, T.Cap, T.Exception, T.Status, T.Decide]);

const DECLARATION_START = new Set<TokenType>([...DECLARATION_ONLY, T.Item, T.Model]);

export const KEYWORD_SET = new Set<TokenType>(T.keywordTokenTypes);

export type TokenSet = ReadonlySet<TokenType>;

export interface BlockContext {
  /** Tokens that start an entry of the block (parsing resumes there). */
  readonly starts: TokenSet;
  /** Extra tokens that end the block (besides `}`, end of file and declarations). */
  readonly stops?: TokenSet;
  /** "a cap block": used in "unexpected `x` in a cap block". */
  readonly where: string;
  /** What the block holds, for the help text. */
  readonly holds: string;
}

export const POLICY_BLOCK: BlockContext = {
  starts: new Set([T.Version, T.Effective, T.Until, T.Compliance, T.Supersedes, T.Cite, T.Note]),
  where: "the policy header",
  holds: "`version`, `effective`, `until`, `compliance`, `supersedes`, `cite` and `note` clauses",
};
export const POLICYSET_BLOCK: BlockContext = {
  starts: new Set([T.Use, T.Note]),
  where: "a policy set",
  holds: '`use "file.diffuse"` lines and `note` clauses',
};
export const ITEM_BLOCK: BlockContext = {
  starts: new Set([T.Tpp, T.Density, T.Eccn, T.Datacenter, T.Note, T.Cite]),
  where: "an item block",
  holds: "`tpp`, `density`, `eccn`, `datacenter`, `note` and `cite` clauses",
};
export const MODEL_BLOCK: BlockContext = {
  starts: new Set([T.Operations, T.Weights, T.Note, T.Cite]),
  where: "a model block",
  holds: "`operations`, `weights`, `note` and `cite` clauses",
};
export const CLASS_BLOCK: BlockContext = {
  starts: new Set([T.Eccn, T.When, T.Note, T.Cite]),
  where: "a class block",
  holds: "`eccn`, `when`, `note` and `cite` clauses",
};
const CAP_STARTS = new Set([T.Limit, T.Per, T.Window, T.Schedule, T.Times, T.When, T.Note, T.Cite]);
export const CAP_BLOCK: BlockContext = {
  starts: CAP_STARTS,
  where: "a cap block",
  holds: "`limit`, `per`, `window`, `schedule`, `times`, `when`, `note` and `cite` clauses",
};
export const SCHEDULE_BLOCK: BlockContext = {
  starts: new Set([T.Through]),
  stops: new Set([T.Per, T.Window, T.Schedule, T.Times, T.When, T.Note]),
  where: "a schedule",
  holds: "steps like `through 2025-12-31 limit 100_000 x H100`",
};
export const AUTH_BLOCK: BlockContext = {
  starts: new Set([T.When, T.Within, T.Counts, T.Requires, T.Note, T.Cite]),
  where: "an exception or status block",
  holds: "`when`, `within`, `counts toward`, `requires`, `note` and `cite` clauses",
};
const RULE_STARTS = new Set([T.Prohibit, T.Authorize, T.License, T.Note, T.Cite]);
export const DECIDE_BLOCK: BlockContext = {
  starts: RULE_STARTS,
  where: "a decide block",
  holds: "`prohibit`, `authorize`, `license`, `note` and `cite` rules",
};
export const REVIEW_BLOCK: BlockContext = {
  starts: new Set([T.Review]),
  stops: RULE_STARTS,
  where: "a review block",
  holds: "cases like `review presumption of denial when destination in tier3` or `review case-by-case otherwise`",
};
/** Every token that starts an entry of some block or a declaration: on a new line, such a token is not the rest of a clause. */
export const ENTRY_STARTS: TokenSet = new Set(
  [POLICY_BLOCK, POLICYSET_BLOCK, ITEM_BLOCK, MODEL_BLOCK, CLASS_BLOCK, CAP_BLOCK, SCHEDULE_BLOCK, AUTH_BLOCK, DECIDE_BLOCK, REVIEW_BLOCK]
    .flatMap((b) => [...b.starts])
    .concat([...DECLARATION_START]),
);
export const TOP_LEVEL: BlockContext = {
  starts: DECLARATION_START,
  where: "at the top level",
  holds: "declarations: `policy`, `import`, `group`, `disjoint`, `item`, `model`, `class`, `cap`, `exception`, `status`, `decide`, `policyset`",
};

/**
 * The help for a block's missing `{`. `stray` is the token found in its place when that is
 * on the header's line; `before` is the token the header ends with, `beforeThat` the one
 * before it. The likely mistakes get their own advice: a comma missing between the
 * classes of a `decide` (`for a b`), a `=` as in a group, a title written after `cite`.
 */
export function openBraceHelp(ctx: BlockContext, before: IToken, beforeThat: IToken, stray: IToken | undefined): string {
  const type = stray?.tokenType;
  if (stray !== undefined && type === T.Identifier && before.tokenType === T.Identifier && ctx === DECIDE_BLOCK)
    return `if \`${imageOf(stray)}\` is another class, separate the classes with commas: \`${imageOf(before)}, ${imageOf(stray)}\`; the rules go in \`{ ... }\``;
  if (type === T.Equals) return "only a group is defined with `=`; remove it and open the block with `{`";
  if (type === T.TerminatedString && beforeThat.tokenType === T.Cite) return "a title goes before `cite`, not after it, and a declaration has one title";
  return `open the block with \`{\` here; ${ctx.where} holds ${ctx.holds}`;
}

/** The help for a `,` between two conditions (`when A, B`). */
export const JOIN_CONDITIONS_HELP = "join conditions with `and` (both must hold) or `or`, not `,`";

/** The help for an `and` between the names of a list (`within a and b`); `keyword` begins the list. */
export function listSeparatorHelp(keyword: string): string {
  return `separate the names after \`${keyword}\` with \`,\`, not \`and\``;
}

/** The help for a number, date or word written where a string belongs (`version 2026`); `word` is the value as written. */
export function quoteHelp(_found: IToken, word: string): string {
  return `write it in double quotes: \`"${word}"\``;
}

/** The help for a string, number or word written where a date belongs (`effective "2026-01-01"`). */
export function dateHelp(found: IToken): string {
  const image = imageOf(found);
  const unquoted = image.replace(/^["']|["']$/g, "");
  if (unquoted !== image && /^\d{4}-\d{2}-\d{2}$/.test(unquoted)) return `a date is not quoted: \`${unquoted}\``;
  return "a date is written unquoted as year-month-day, e.g. `2026-01-01`";
}

/**
 * The keywords that may come next where a clause goes on with one of several words, for
 * the "did you mean" of a misspelt one (`per consignees`, `window calender year`).
 */
export const KEY_PARTS: TokenSet = new Set([T.Destination, T.Headquarters, T.Consignee, T.Exporter, T.Global]);
export const WINDOW_STARTS: TokenSet = new Set([T.Calendar, T.Rolling, T.All]);
export const CONDITION_STARTS: TokenSet = new Set([
  T.Destination,
  T.Headquarters,
  T.Consignee,
  T.Item,
  T.Within,
  T.Amount,
  T.Quantity,
  T.Capacity,
  T.Tpp,
  T.Density,
  T.Operations,
  T.DateKw,
  T.Chip,
  T.Model,
  T.Datacenter,
  T.Open,
  T.True,
  T.False,
  T.Not,
]);
export const REVIEW_POLICIES: TokenSet = new Set([T.Presumption, T.CaseByCase]);
export const PRESUMPTIONS: TokenSet = new Set([T.Approval, T.Denial]);

/** "did you mean `limit`?" for a misspelt clause keyword (edit distance at most 2). */
export function suggestKeyword(token: IToken, starts: TokenSet): string | undefined {
  if (token.tokenType !== T.Identifier) return undefined;
  const word = imageOf(token);
  let best: string | undefined;
  let bestDistance = 3;
  for (const t of starts) {
    const kw = typeof t.LABEL === "string" ? t.LABEL.slice(1, -1) : "";
    const d = editDistance(word, kw);
    if (d < bestDistance && d < kw.length / 2) {
      best = kw;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : `did you mean \`${best}\`?`;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = row;
  }
  return prev[b.length] ?? 3;
}
