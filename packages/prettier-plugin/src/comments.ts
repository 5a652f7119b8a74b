/**
 * Comments through Prettier's own attachment: Prettier decides leading/trailing for the
 * comments between declarations, clauses, rules and set members (the ends of lines);
 * the handlers here place the others by the token they were written before:
 *
 * - after a `{` on its line (`cap c { // note`): printed right after that brace;
 * - inside a construct (`limit // note` then `5 TPP`, `per consignee /* a *\/ x ...`):
 *   before the same token again, a child node's (as a leading comment) or one of the
 *   node's own keywords (kept as a dangling comment the node's printer places with
 *   `keyword` below);
 * - alone in an empty block: inside its braces.
 *
 * The helpers print what a node keeps.
 */
import type { AstPath, Doc } from "prettier";
import { builders } from "prettier/doc";
import { type TokenInfo, tokenize } from "@diffuse/language";
import {
  type AnyNode,
  type Commented,
  type DiffuseNode,
  type NodeKind,
  type PrettierComment,
  isComment,
  type NodeOf,
  VISITOR_KEYS,
  isDiffuseNode,
  isShortLicense,
  splitLicenseCondition,
} from "./nodes.js";
import { openBraceBefore } from "./text.js";

const { breakParent, hardline, indent, join, line, lineSuffix, lineSuffixBoundary, literalline } = builders;

/** The comment's doc; marks it printed for Prettier's all-comments-printed check. */
function commentDoc(comment: PrettierComment): Doc {
  comment.printed = true;
  const text = comment.kind === "LineComment" ? comment.text.trimEnd() : comment.text;
  return text.includes("\n") ? join(literalline, text.split(/\r?\n/)) : text;
}

export const locStart = (node: AnyNode): number => node.range.start;
export const locEnd = (node: AnyNode): number => node.range.end;

/**
 * Every node but `Missing` takes comments, except the `A and B` the parser builds from
 * `license when A review P when B`: it spans the review, so its halves take them.
 */
export function canAttachComment(node: AnyNode, ancestors: readonly AnyNode[] = []): boolean {
  if (!isDiffuseNode(node) || node.kind === "Missing") return false;
  const parent = ancestors[0];
  if (node.kind === "AndCondition" && parent?.kind === "LicenseRule") {
    return splitLicenseCondition(parent as NodeOf<"LicenseRule">) === undefined;
  }
  return true;
}

export function isBlockComment(node: AnyNode): boolean {
  return node.kind === "BlockComment";
}

export function isLineComment(comment: PrettierComment): boolean {
  return comment.kind === "LineComment";
}

/** The comment's text; a block comment spanning lines keeps its inner lines as written. */
export function printComment(path: AstPath<AnyNode>): Doc {
  const comment = path.node;
  return isComment(comment) ? commentDoc(comment) : "";
}

const IGNORE = /^(?:\/\/|\/\*)\s*prettier-ignore\s*(?:\*\/)?$/;

/** Whether a comment's text is `// prettier-ignore` (or `/* prettier-ignore *\/`). */
export function isPrettierIgnore(text: string): boolean {
  return IGNORE.test(text.trim());
}

/** `// prettier-ignore` (or `/* prettier-ignore *\/`) as a leading comment keeps the node verbatim. */
export function hasPrettierIgnore(path: AstPath<AnyNode>): boolean {
  const node = path.node as Commented<AnyNode>;
  if (isComment(node) || node.kind === "SourceFile") return false;
  return node.comments?.some((c) => c.leading === true && isPrettierIgnore(c.text)) ?? false;
}

/** Node kinds written with a `{ ... }` block of items, and the property holding the items. */
const BLOCK_LISTS = {
  PolicyDecl: "clauses",
  ItemDecl: "clauses",
  ModelDecl: "clauses",
  ClassDecl: "clauses",
  CapDecl: "clauses",
  ExceptionDecl: "clauses",
  StatusDecl: "clauses",
  PolicySetDecl: "uses",
  DecideDecl: "rules",
  ScheduleClause: "steps",
  LicenseRule: "reviews",
} as const satisfies { readonly [K in NodeKind]?: keyof NodeOf<K> };

/** The list of a node that is written between braces, if the node has a block. */
export function blockItems(node: DiffuseNode): readonly DiffuseNode[] | undefined {
  const key: string | undefined = (BLOCK_LISTS as { readonly [K in NodeKind]?: string })[node.kind];
  return key === undefined ? undefined : (node as unknown as Record<string, readonly DiffuseNode[]>)[key];
}

/** Marker of dangling comments that belong inside a node's braces. */
export const BLOCK_MARKER = "block";

/** Marker of dangling comments printed right after the node's `{` (`cap c { // note`). */
export const BRACE_MARKER = "brace";

/** Marker of dangling comments printed before one of the node's own keywords. */
export const KEYWORD_MARKER = "keyword";

interface AttachedComment extends PrettierComment {
  enclosingNode?: AnyNode;
  precedingNode?: AnyNode;
  followingNode?: AnyNode;
  marker?: string;
}

interface KeywordComment extends AttachedComment {
  /** The keyword the comment was written before, and which occurrence of it in the node (0-based). */
  anchor?: { readonly word: string; readonly index: number };
}

function addDanglingComment(node: AnyNode, comment: AttachedComment, marker: string): void {
  const target = node as Commented<AnyNode>;
  comment.leading = false;
  comment.trailing = false;
  comment.printed = false;
  comment.marker = marker;
  (target.comments ??= []).push(comment);
}

/** Attaches a comment to a node as Prettier would, for the handlers that choose the node themselves. */
function attach(comment: AttachedComment, node: AnyNode, as: "leading" | "trailing"): true {
  comment.leading = as === "leading";
  comment.trailing = as === "trailing";
  comment.printed = false;
  ((node as Commented<AnyNode>).comments ??= []).push(comment);
  return true;
}

// ---------------------------------------------------------------------------
// The tokens around a comment

interface Lexed {
  /** The code tokens, comments left out. */
  readonly tokens: readonly TokenInfo[];
  /** The comments (Prettier takes the root's list away while it attaches them). */
  readonly comments: readonly TokenInfo[];
}

const NOTHING: Lexed = { tokens: [], comments: [] };
const lexedOf = new WeakMap<object, Lexed>();

/**
 * The tokens of the top-level declaration around `offset` (lexed once per declaration,
 * and only for declarations that hold comments): every comment these handlers place lies
 * inside a declaration, and so do the tokens around it.
 */
function lexed(root: AnyNode, text: string, offset: number): Lexed {
  const declarations = root.kind === "SourceFile" ? root.declarations : [];
  let low = 0;
  let high = declarations.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((declarations[middle]?.range.end ?? Infinity) <= offset) low = middle + 1;
    else high = middle;
  }
  const declaration = declarations[low];
  if (!declaration || declaration.range.start > offset) return NOTHING;
  const cached = lexedOf.get(declaration);
  if (cached) return cached;
  const base = declaration.range.start;
  const all = tokenize(text.slice(base, declaration.range.end)).map((t) => ({ ...t, range: { start: t.range.start + base, end: t.range.end + base } }));
  const result = { tokens: all.filter((t) => t.kind !== "comment"), comments: all.filter((t) => t.kind === "comment") };
  lexedOf.set(declaration, result);
  return result;
}

/** The code tokens of the declaration around `offset`. */
const codeTokens = (root: AnyNode, text: string, offset: number): readonly TokenInfo[] => lexed(root, text, offset).tokens;

/** Index of the first token that starts at or after `offset` (`tokens.length` if none). */
function tokenIndexAt(tokens: readonly TokenInfo[], offset: number): number {
  let low = 0;
  let high = tokens.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((tokens[middle]?.range.start ?? Infinity) < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The children Prettier attaches comments to, in source order (a child that takes none stands for its own children). */
function commentChildren(node: DiffuseNode): DiffuseNode[] {
  const out: DiffuseNode[] = [];
  for (const key of VISITOR_KEYS[node.kind] as readonly string[]) {
    const value = (node as unknown as Record<string, unknown>)[key];
    for (const child of Array.isArray(value) ? (value as unknown[]) : [value]) {
      if (!isDiffuseNode(child)) continue;
      if (canAttachComment(child, [node])) out.push(child);
      else out.push(...commentChildren(child));
    }
  }
  return out.sort((a, b) => a.range.start - b.range.start);
}

/** Whether a token is one of the node's own (a keyword or punctuation, not part of a child). */
function isOwnToken(node: DiffuseNode, token: TokenInfo, children: readonly DiffuseNode[]): boolean {
  const { start, end } = token.range;
  if (start < node.range.start || end > node.range.end) return false;
  return !children.some((child) => child.range.start <= start && end <= child.range.end && child.range.start < child.range.end);
}

/** The node's own `{` (a block's or a set's), if it has one. */
function ownBrace(node: DiffuseNode, tokens: readonly TokenInfo[]): TokenInfo | undefined {
  if (node.kind === "SetLiteral") return tokens[tokenIndexAt(tokens, node.range.start)];
  if (blockItems(node) === undefined) return undefined;
  const children = commentChildren(node);
  for (let i = tokenIndexAt(tokens, node.range.start); i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || token.range.start >= node.range.end) return undefined;
    if (token.text === "{" && isOwnToken(node, token, children)) return token;
  }
  return undefined;
}

/** Whether only spaces and tabs separate `offset` from the previous line break (or the file start). */
export function hasNewlineBefore(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  return i < 0 || text[i] === "\n" || text[i] === "\r";
}

/** Whether only spaces and tabs separate `offset` from the next line break (or the file end). */
function hasNewlineAfter(text: string, offset: number): boolean {
  let i = offset;
  while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
  return i >= text.length || text[i] === "\n" || text[i] === "\r";
}

/** The comments of the text between two offsets, in order. */
function commentsBetween(root: AnyNode, text: string, from: number, to: number): TokenInfo[] {
  const { comments } = lexed(root, text, from);
  const out: TokenInfo[] = [];
  for (let i = tokenIndexAt(comments, from); i < comments.length; i++) {
    const c = comments[i];
    if (!c || c.range.end > to) break;
    out.push(c);
  }
  return out;
}

const isLineCommentToken = (token: TokenInfo): boolean => token.text.startsWith("//");

// ---------------------------------------------------------------------------
// Handlers

/**
 * Comments after a `{` on the brace's line (`cap c { // note`, `schedule { // note`,
 * `group g = { // note`) are printed right after the brace again. So are the comments
 * between a block's header and its `{` when one of them is a line comment or stands on
 * a line of its own: the brace follows the header on its line, and they come after it,
 * in their order (`cap c "T" // note` then `{` becomes `cap c "T" { // note`).
 */
function handleBraceComment(comment: AttachedComment, text: string, root: AnyNode): boolean {
  const node = comment.enclosingNode;
  if (!node || !isDiffuseNode(node) || node.kind === "SourceFile") return false;
  const items = node.kind === "SetLiteral" ? node.members : blockItems(node);
  // After an item of the block, the comment is not at its `{` (nor is it in a block-less `license ... review`).
  if (!items || (comment.precedingNode !== undefined && items.includes(comment.precedingNode as never))) return false;
  if (node.kind === "LicenseRule" && isShortLicense(node, text)) return false;
  const tokens = codeTokens(root, text, locStart(comment));
  const brace = ownBrace(node, tokens);
  if (!brace) return false;
  if (locStart(comment) >= brace.range.end) {
    // After the brace: the comments from it to the end of its line, with no code after them there.
    const next = tokens[tokenIndexAt(tokens, locEnd(comment))];
    const run = braceLineRun(text, commentsBetween(root, text, brace.range.end, next?.range.start ?? text.length), brace.range.end);
    if (!run.some((c) => c.range.start === locStart(comment))) return false;
  } else {
    // Before the brace, after the header: moved after it when one of them needs a line of its own.
    const next = tokens[tokenIndexAt(tokens, locEnd(comment))];
    if (next !== brace) return false;
    const previous = tokens[tokenIndexAt(tokens, locStart(comment)) - 1];
    const run = commentsBetween(root, text, previous?.range.end ?? 0, brace.range.start);
    if (!run.some((c) => isLineCommentToken(c) || hasNewlineBefore(text, c.range.start))) return false;
  }
  addDanglingComment(node, comment, BRACE_MARKER);
  return true;
}

/**
 * The comments right after a `{` on its line (`{ /* a *\/ // b`), if nothing but the
 * line's end follows them; otherwise none.
 */
function braceLineRun(text: string, after: readonly TokenInfo[], from: number): TokenInfo[] {
  const run: TokenInfo[] = [];
  let at = from;
  for (const c of after) {
    if (!/^[ \t]*$/.test(text.slice(at, c.range.start))) break;
    run.push(c);
    at = c.range.end;
  }
  const last = run[run.length - 1];
  return last && (isLineCommentToken(last) || hasNewlineAfter(text, at)) ? run : [];
}

/**
 * A comment inside a block's braces with no block item before or after it (an empty
 * block, or text between `{` and the first item that Prettier would give to the header)
 * stays in the block as a dangling comment.
 */
function handleBlockComment(comment: AttachedComment, text: string, ownLine = false): boolean {
  const { enclosingNode, precedingNode, followingNode } = comment;
  if (!enclosingNode || !isDiffuseNode(enclosingNode)) return false;
  const items = blockItems(enclosingNode);
  if (!items) return false;
  const isItem = (n: AnyNode | undefined): boolean => n !== undefined && items.includes(n as DiffuseNode);
  if (isItem(precedingNode) || isItem(followingNode)) return false;
  if (items.length > 0) return false;
  const from = precedingNode ? locEnd(precedingNode) : locStart(enclosingNode);
  const brace = openBraceBefore(text, from, locStart(comment));
  // On its own line between the header and the `{` of an empty block: it would print in the block anyway.
  if (brace === -1 && !((ownLine || comment.kind === "LineComment") && hasBlockAfter(text, locEnd(comment), locEnd(enclosingNode)))) return false;
  addDanglingComment(enclosingNode, comment, BLOCK_MARKER);
  return true;
}

/**
 * A comment inside a construct (between two tokens of a clause, a header, a condition)
 * is kept before the token it was written before: as a leading comment of the child
 * node that starts there, or, before one of the node's own keywords, as a dangling
 * comment the node's printer puts before that keyword. Comments at the ends of lines
 * (after a declaration, a block item, a set member, an operand before `or`, a list item
 * before its comma) are left to the other handlers, which keep them at the line end.
 */
function handleCommentInConstruct(comment: AttachedComment, text: string, root: AnyNode, placement: "ownLine" | "endOfLine" | "remaining"): boolean {
  const { enclosingNode: node, precedingNode: before, followingNode: after } = comment;
  if (!node || !isDiffuseNode(node) || node.kind === "SourceFile" || node.kind === "SetLiteral") return false;
  // The common cases first, without lexing: right after a block item, right before one.
  const rightAfter = before !== undefined && onlyComments(text, locEnd(before), locStart(comment));
  const rightBefore = after !== undefined && onlyComments(text, locEnd(comment), locStart(after));
  if (rightAfter && rightBefore && isLineItem(node, before, text)) return false;
  if (rightBefore && isLineItem(node, after, text)) return false;
  const tokens = codeTokens(root, text, locStart(comment));
  const nextIndex = tokenIndexAt(tokens, locEnd(comment));
  const next = tokens[nextIndex];
  const previous = tokens[tokenIndexAt(tokens, locStart(comment)) - 1];
  if (!next || !previous || next.range.start >= node.range.end) return false;
  // Between two block items (or around one): the end of a line or a line of its own.
  if (before && previous.range.end === locEnd(before) && isLineItem(node, before, text)) {
    // Before the `}`: at the end of the block, never after it (before a citation that follows the block).
    return next.text === "}" ? attach(comment, before, "trailing") : false;
  }
  if (after && next.range.start === locStart(after) && isLineItem(node, after, text)) return false;
  if (next.text === "}") return false;
  // At the end of a line the printer ends too: `a // note` before `or b`, `a, // note` before `b`.
  if (before && placement === "endOfLine" && next.text !== "{" && endsPrintedLine(node, before, text)) {
    const afterBefore = previous.range.end === locEnd(before);
    const afterComma =
      comment.kind === "LineComment" && previous.text === "," && tokens[tokenIndexAt(tokens, previous.range.start) - 1]?.range.end === locEnd(before);
    // In a list the comma is printed right after the item, with the item's line comment after it: so only when
    // no other comment is around the comma (it would come before this one, or run into it).
    const listItem = nameListItems(node)?.includes(before) === true;
    const itemAfter = tokens[tokenIndexAt(tokens, locEnd(before)) + 1];
    const alone = !listItem || commentsBetween(root, text, locEnd(before), itemAfter?.range.start ?? text.length).length === 1;
    if ((afterBefore || afterComma) && alone) return false;
  }
  if (after && next.range.start === locStart(after)) return attach(comment, after, "leading");
  const children = commentChildren(node);
  if (!isOwnToken(node, next, children)) return false;
  let index = 0;
  for (let i = tokenIndexAt(tokens, node.range.start); i < nextIndex; i++) {
    const token = tokens[i];
    if (token && token.text === next.text && isOwnToken(node, token, children)) index++;
  }
  (comment as KeywordComment).anchor = { word: next.text, index };
  addDanglingComment(node, comment, KEYWORD_MARKER);
  return true;
}

/**
 * A second line comment after the same node (`a // one` then `// two` before the next
 * token) would be printed on a line of its own after wherever that line ends, and from
 * there belong to another node. It leads the following node instead.
 */
function handleSecondLineComment(comment: AttachedComment): boolean {
  const { precedingNode, followingNode } = comment;
  if (!precedingNode || !followingNode || comment.kind !== "LineComment") return false;
  const earlier = (precedingNode as Commented<AnyNode>).comments ?? [];
  if (!earlier.some((c) => c.trailing === true && c.kind === "LineComment")) return false;
  comment.leading = true;
  comment.trailing = false;
  comment.printed = false;
  ((followingNode as Commented<AnyNode>).comments ??= []).push(comment);
  return true;
}

/** The text with its comments blanked out (the gaps between nodes hold no strings). */
const withoutComments = (text: string): string => text.replace(/\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\//g, " ");

/** Whether only whitespace and comments lie between two offsets. */
const onlyComments = (text: string, from: number, to: number): boolean => /^(?:\s|\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\/)*$/.test(text.slice(from, to));

/** Whether the next token after `from` (comments skipped) is the `{` of a block. */
function hasBlockAfter(text: string, from: number, to: number): boolean {
  return /^(?:\s|\/\/[^\n]*\n|\/\*(?:[^*]|\*(?!\/))*\*\/)*\{/.test(text.slice(from, to));
}

/** Whether `node` is printed at the start of its own line inside `parent` (a declaration, a block item). */
function isLineItem(parent: AnyNode, node: AnyNode | undefined, text: string): boolean {
  if (node === undefined || !isDiffuseNode(parent)) return false;
  if (parent.kind === "SourceFile") return parent.declarations.includes(node as never);
  if (parent.kind === "LicenseRule" && isShortLicense(parent, text)) return false;
  return blockItems(parent)?.includes(node as DiffuseNode) ?? false;
}

/**
 * A block comment between two block items or set members (the comments inside a
 * construct are placed by handleCommentInConstruct) goes to the same node however it
 * was spaced, so that the output, where it may sit differently, attaches it the same way
 * again: before the first item of a block it leads that item; between two set members
 * it trails the one before (inline), or, on a line of its own, leads the next.
 */
function handleBlockCommentBetween(comment: AttachedComment, text: string): boolean {
  const { enclosingNode, precedingNode, followingNode } = comment;
  if (comment.kind !== "BlockComment" || !enclosingNode || !followingNode) return false;
  // On a line of its own between two set members: before the next member, on a line of its own again.
  if (enclosingNode.kind === "SetLiteral" && hasNewlineBefore(text, locStart(comment))) return attach(comment, followingNode, "leading");
  // Never across a brace: `} /* c */ cite` stays after the block, `{ /* c */` in it.
  const start = precedingNode ? locEnd(precedingNode) : locStart(enclosingNode);
  const braceBefore = /[{}]/.test(withoutComments(text.slice(start, locStart(comment))));
  const braceAfter = /[{}]/.test(withoutComments(text.slice(locEnd(comment), locStart(followingNode))));
  if (braceBefore && braceAfter) return false;
  if (braceBefore) return attach(comment, followingNode, "leading");
  if (braceAfter) return precedingNode ? attach(comment, precedingNode, "trailing") : false;
  const followingIsLine = isLineItem(enclosingNode, followingNode, text);
  if (followingIsLine && !isLineItem(enclosingNode, precedingNode, text)) return attach(comment, followingNode, "leading");
  if (!followingIsLine && precedingNode) return attach(comment, precedingNode, "trailing");
  return false;
}

/** The lists printed as `a, b, c` (after the last item comes more text on the same line). */
function nameListItems(node: DiffuseNode): readonly AnyNode[] | undefined {
  if (node.kind === "DisjointDecl") return node.groups;
  if (node.kind === "WithinClause" || node.kind === "CountsTowardClause") return node.caps;
  if (node.kind === "DecideDecl") return node.classes;
  if (node.kind === "LicenseRule") return node.charging;
  return undefined;
}

/** Whether a line comment after `node` (inside `parent`) ends the printed line there, as it did in the source. */
function endsPrintedLine(parent: DiffuseNode, node: AnyNode, text: string): boolean {
  if (isLineItem(parent, node, text) || parent.kind === "SetLiteral") return true;
  if (parent.kind === "AndCondition" || parent.kind === "OrCondition") return parent.operands.indexOf(node as never) < parent.operands.length - 1;
  const list = nameListItems(parent);
  return list !== undefined && list.indexOf(node) !== -1 && list.indexOf(node) < list.length - 1;
}

export const handleComments = {
  ownLine: (comment: AttachedComment, text: string, _options: unknown, root: AnyNode): boolean =>
    handleBraceComment(comment, text, root) ||
    handleBlockComment(comment, text, true) ||
    handleCommentInConstruct(comment, text, root, "ownLine") ||
    handleBlockCommentBetween(comment, text),
  endOfLine: (comment: AttachedComment, text: string, _options: unknown, root: AnyNode): boolean =>
    handleBraceComment(comment, text, root) ||
    handleBlockComment(comment, text) ||
    handleCommentInConstruct(comment, text, root, "endOfLine") ||
    handleSecondLineComment(comment) ||
    handleBlockCommentBetween(comment, text),
  remaining: (comment: AttachedComment, text: string, _options: unknown, root: AnyNode): boolean =>
    handleBraceComment(comment, text, root) ||
    handleBlockComment(comment, text) ||
    handleCommentInConstruct(comment, text, root, "remaining") ||
    handleBlockCommentBetween(comment, text),
};

function danglingComments(node: AnyNode, marker: string | undefined): AttachedComment[] {
  const comments = (node as Commented<AnyNode>).comments ?? [];
  return comments.filter(
    (c: AttachedComment) => c.leading !== true && c.trailing !== true && c.printed !== true && (marker === undefined || c.marker === marker),
  );
}

/**
 * Dangling comments of a node that go inside its braces, each on its own line: those
 * `handleComments` kept in a block, or all of them.
 */
export function printBlockDangling(path: AstPath<AnyNode>, which: "block" | "all" = "block"): Doc[] {
  return danglingComments(path.node, which === "all" ? undefined : BLOCK_MARKER).map((c) => commentDoc(c));
}

/**
 * The comments kept after a node's `{` (see handleBraceComment), to print right after
 * the brace inside the block's indentation: on the brace's line while they were written
 * there; from the first line comment or comment written on a line of its own on, each on
 * a line of its own.
 * Empty when there are none.
 */
export function printBraceComments(path: AstPath<AnyNode>, text: string): Doc[] {
  const parts: Doc[] = [];
  let newLine = false;
  for (const c of danglingComments(path.node, BRACE_MARKER)) {
    // Below the brace's line each comment has a line of its own, as the block's own comments do.
    newLine ||= hasNewlineBefore(text, locStart(c));
    parts.push(newLine ? hardline : " ", commentDoc(c));
    newLine ||= isLineComment(c);
  }
  if (parts.length > 0) parts.push(breakParent);
  return parts;
}

/**
 * How a printer separates a keyword or a child from the token before it: a space,
 * nothing (`)` after a name), a `line` of the enclosing group, or a space the parent
 * already printed (before a child's leading comments).
 */
export type Separator = " " | "" | "line" | "printed";

/**
 * The separator before a token together with the comments written before that token:
 * block comments inline, a line comment at the end of the line (the construct goes on
 * at the next line, indented) or, if it was written on a line of its own, on its own
 * line. Before an operator that starts a continuation line (`line`), the comments that
 * were on the line before it stay at that line's end.
 */
export function printGap(comments: readonly PrettierComment[], separator: Separator, text: string): Doc {
  const plain: Doc = separator === "line" ? line : separator === " " ? " " : "";
  if (comments.length === 0) return plain;
  const newline: Doc = separator === "line" ? hardline : indent(hardline);
  const parts: Doc[] = [];
  let i = 0;
  let at: "space" | "token" | "lineStart" = separator === "" ? "token" : "space";
  if (separator === "line") {
    for (; i < comments.length; i++) {
      const c = comments[i];
      if (!c || hasNewlineBefore(text, locStart(c))) break;
      parts.push(" ", commentDoc(c));
      if (isLineComment(c)) {
        parts.push(breakParent);
        i++;
        break;
      }
    }
    parts.push(line);
    // A line comment breaks the group, so the `line` is a line break.
    if (comments.some(isLineComment)) at = "lineStart";
  } else if (separator === " ") {
    parts.push(" ");
  }
  for (const c of comments.slice(i)) {
    if (isLineComment(c)) {
      if (at !== "lineStart" && hasNewlineBefore(text, locStart(c))) parts.push(newline);
      else if (at === "token") parts.push(" ");
      parts.push(commentDoc(c), newline);
      at = "lineStart";
    } else {
      if (at === "token") parts.push(" ");
      parts.push(commentDoc(c));
      at = "token";
    }
  }
  if (at === "token" && separator !== "") parts.push(" ");
  return parts;
}

/** The comments kept before the `index`-th occurrence of `word` among the node's own tokens. */
export function keywordComments(node: AnyNode, word: string, index: number): PrettierComment[] {
  return danglingComments(node, KEYWORD_MARKER).filter((c: KeywordComment) => c.anchor?.word === word && c.anchor.index === index);
}

/** Whether a child's first leading comment is a line comment (printed after a space, never right after `(`). */
export function hasLeadingLineComment(node: AnyNode): boolean {
  const first = (node as Commented<AnyNode>).comments?.find((c) => c.leading === true && c.printed !== true);
  return first !== undefined && isLineComment(first);
}

/** Whether a node keeps comments after its `{`. */
export function hasBraceComments(node: AnyNode): boolean {
  return danglingComments(node, BRACE_MARKER).length > 0;
}

/** Whether a node has leading comments (line comments: `"line"`) not printed yet. */
export function hasLeadingComments(node: AnyNode, kind: "any" | "line" = "any"): boolean {
  return (node as Commented<AnyNode>).comments?.some((c) => c.leading === true && c.printed !== true && (kind === "any" || isLineComment(c))) ?? false;
}

/**
 * Any dangling comment the node's printer did not place (none should be left: a safety
 * net, so that no comment is ever dropped), printed after the node: a block comment
 * inline, a line comment at the end of the line.
 */
export function printRemainingDangling(path: AstPath<AnyNode>): Doc {
  const parts: Doc[] = [];
  for (const c of danglingComments(path.node, undefined)) {
    const doc = commentDoc(c);
    parts.push(isLineComment(c) ? [lineSuffixBoundary, lineSuffix([" ", doc]), breakParent] : [" ", doc]);
  }
  return parts;
}

/** Dangling comments of the root (a file that holds only comments). */
export function printRootDangling(path: AstPath<AnyNode>, text: string): Doc[] {
  const comments = danglingComments(path.node, undefined);
  const parts: Doc[] = [];
  comments.forEach((c, i) => {
    if (i > 0) {
      const prev = comments[i - 1];
      const between = prev ? text.slice(locEnd(prev), locStart(c)) : "";
      parts.push(hardline, /\n[ \t]*\r?\n/.test(between) ? hardline : "");
    }
    parts.push(commentDoc(c));
  });
  return parts;
}

export function hasLineCommentTrailing(node: DiffuseNode): boolean {
  return (node as Commented<DiffuseNode>).comments?.some((c) => c.trailing === true && isLineComment(c)) ?? false;
}

/** Leading comments that need a line break before the node (line comments, or comments written on their own line). */
export function hasBreakingLeadingComment(node: DiffuseNode): boolean {
  return (node as Commented<DiffuseNode>).comments?.some((c) => c.leading === true && (isLineComment(c) || c.placement === "ownLine")) ?? false;
}

/** Whether the line after the one `offset` ends is blank. */
function isBlankLineAfter(text: string, offset: number): boolean {
  let i = offset;
  while (text[i] === " " || text[i] === "\t") i++;
  if (text[i] === "\r") i++;
  if (text[i] !== "\n") return false;
  i++;
  while (text[i] === " " || text[i] === "\t") i++;
  return text[i] === "\n" || text[i] === "\r";
}

/** Whether the line before the one `offset` starts on is blank. */
function isBlankLineBefore(text: string, offset: number): boolean {
  let i = offset - 1;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  if (text[i] !== "\n") return false;
  i--;
  if (text[i] === "\r") i--;
  while (i >= 0 && (text[i] === " " || text[i] === "\t")) i--;
  return text[i] === "\n";
}

/**
 * A node's leading and trailing comments around its doc. Prettier's own placement is
 * kept where the node starts a line (a declaration, a block item): a comment written on
 * its own line stays there. Before a node in the middle of a line, the comments go where
 * `printGap` puts them (a block comment inline, a line comment at the end of the line
 * or on a line of its own, as written); a comment written on its own line
 * after a node that does not end a line stays right after it, on a line of its own. So
 * formatting the output again attaches every comment to the same node (idempotency).
 */
export function printWithComments(node: AnyNode, doc: Doc, text: string, startsLine: boolean, endsLine: boolean): Doc {
  const comments = (node as Commented<AnyNode>).comments;
  if (!comments || comments.length === 0) return doc;
  const leading: Doc[] = [];
  const inLine: PrettierComment[] = [];
  const trailing: Doc[] = [];
  // A doc that ends in a line suffix (a clause's citation, printed at the line's end) puts
  // even an inline block comment after it in a line suffix: printed right here, the
  // comment would land before the citation.
  let previous: { isBlock: boolean; hasLineSuffix: boolean } | undefined = endsWithLineSuffix(doc) ? { isBlock: true, hasLineSuffix: true } : undefined;
  for (const comment of comments) {
    if (comment.printed === true) continue;
    const isBlock = comment.kind === "BlockComment";
    if (comment.leading === true) {
      if (startsLine) {
        const printed = commentDoc(comment);
        const breaks = !isBlock || hasNewlineAfter(text, locEnd(comment));
        leading.push(printed, breaks ? hardline : " ", breaks && isBlankLineAfter(text, locEnd(comment)) ? hardline : "");
      } else {
        inLine.push(comment);
      }
    } else if (comment.trailing === true) {
      const printed = commentDoc(comment);
      const ownLine = hasNewlineBefore(text, locStart(comment));
      const afterLineComment = previous?.hasLineSuffix === true && !previous.isBlock;
      if ((ownLine || afterLineComment) && !endsLine) {
        // Inside a construct (before a `)`, a unit, a keyword): right here, on a line of its own.
        trailing.push(hardline, printed, isBlock ? "" : hardline);
        previous = { isBlock, hasLineSuffix: false };
      } else if (afterLineComment || ownLine) {
        trailing.push(lineSuffix([hardline, isBlankLineBefore(text, locStart(comment)) ? hardline : "", printed]));
        previous = { isBlock, hasLineSuffix: true };
      } else if (!isBlock || previous?.hasLineSuffix === true) {
        trailing.push([lineSuffix([" ", printed]), breakParent]);
        previous = { isBlock, hasLineSuffix: true };
      } else {
        trailing.push([" ", printed]);
        previous = { isBlock, hasLineSuffix: false };
      }
    }
  }
  // Before a node in the middle of a line, after the space its parent printed.
  return [leading, printGap(inLine, "printed", text), doc, trailing];
}

/** Whether the last thing a doc prints is a line suffix (empty parts after it ignored). */
function endsWithLineSuffix(doc: Doc): boolean {
  if (typeof doc === "string") return false;
  if (Array.isArray(doc)) {
    for (let i = doc.length - 1; i >= 0; i--) {
      const part = doc[i];
      if (part === undefined || isEmptyDoc(part)) continue;
      return endsWithLineSuffix(part);
    }
    return false;
  }
  if (doc.type === "line-suffix") return true;
  // Wrappers print their contents last; any other command (a line, a fill) is not a suffix.
  if (doc.type === "group" || doc.type === "indent" || doc.type === "align" || doc.type === "label") return endsWithLineSuffix(doc.contents);
  return false;
}

function isEmptyDoc(doc: Doc): boolean {
  return doc === "" || (Array.isArray(doc) && doc.every(isEmptyDoc));
}
