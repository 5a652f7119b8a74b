/**
 * Comments through Prettier's own attachment: Prettier decides leading/trailing for
 * most comments from the node ranges; the handlers here only keep a comment that sits
 * alone inside a block's braces inside that block, and the helpers print the comments
 * a node keeps as dangling.
 */
import type { AstPath, Doc } from "prettier";
import { builders } from "prettier/doc";
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

const { breakParent, hardline, join, lineSuffix, lineSuffixBoundary, literalline } = builders;

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

/** `// prettier-ignore` (or `/* prettier-ignore *\/`) as a leading comment keeps the node verbatim. */
export function hasPrettierIgnore(path: AstPath<AnyNode>): boolean {
  const node = path.node as Commented<AnyNode>;
  if (isComment(node) || node.kind === "SourceFile") return false;
  return node.comments?.some((c) => c.leading === true && IGNORE.test(c.text.trim())) ?? false;
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

interface AttachedComment extends PrettierComment {
  enclosingNode?: AnyNode;
  precedingNode?: AnyNode;
  followingNode?: AnyNode;
  marker?: string;
}

function addDanglingComment(node: AnyNode, comment: AttachedComment, marker: string): void {
  const target = node as Commented<AnyNode>;
  comment.leading = false;
  comment.trailing = false;
  comment.printed = false;
  comment.marker = marker;
  (target.comments ??= []).push(comment);
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
  // `{ // note` on the brace's line: Prettier's default (trailing the header) prints it there.
  if (precedingNode && comment.kind === "LineComment" && !text.slice(brace, locStart(comment)).includes("\n")) return false;
  addDanglingComment(enclosingNode, comment, BLOCK_MARKER);
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


function attach(comment: AttachedComment, node: AnyNode, as: "leading" | "trailing"): true {
  comment.leading = as === "leading";
  comment.trailing = as === "trailing";
  comment.printed = false;
  ((node as Commented<AnyNode>).comments ??= []).push(comment);
  return true;
}

/**
 * A block comment between two nodes goes to the same node however it was spaced, so
 * that the output, where it may sit differently, attaches it the same way again: before
 * the first item of a block it leads that item; before a node printed inside a line it
 * trails the node before it.
 */
function handleBlockCommentBetween(comment: AttachedComment, text: string): boolean {
  const { enclosingNode, precedingNode, followingNode } = comment;
  if (comment.kind !== "BlockComment" || !enclosingNode || !followingNode) return false;
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
function endsPrintedLine(parent: DiffuseNode, node: AnyNode, comment: AttachedComment, text: string): boolean {
  if (isLineItem(parent, node, text) || parent.kind === "SetLiteral") return true;
  if (parent.kind === "AndCondition" || parent.kind === "OrCondition") return parent.operands.indexOf(node as never) < parent.operands.length - 1;
  const list = nameListItems(parent);
  if (list && list.indexOf(node) !== -1 && list.indexOf(node) < list.length - 1) return true;
  // The end of a header: `cap c "T" { // note` or `cap c "T" // note` before the `{`.
  if (blockItems(parent) !== undefined) {
    const between = withoutComments(text.slice(locEnd(node), locStart(comment)));
    if (between.includes("{") || hasBlockAfter(text, locEnd(comment), locEnd(parent))) return true;
  }
  return false;
}

/** The outermost node that starts first at or after `offset`. */
function nextNode(root: AnyNode, offset: number): AnyNode | undefined {
  let best: AnyNode | undefined;
  const visit = (node: AnyNode): void => {
    if (!isDiffuseNode(node)) return;
    for (const key of VISITOR_KEYS[node.kind] as readonly string[]) {
      const value = (node as unknown as Record<string, unknown>)[key];
      for (const child of Array.isArray(value) ? value : [value]) {
        if (!isDiffuseNode(child) || child.kind === "Missing") continue;
        if (child.range.end <= offset) continue;
        if (child.range.start >= offset) {
          if (best === undefined || child.range.start < best.range.start) best = child;
        } else visit(child);
      }
    }
  };
  visit(root);
  return best;
}

/**
 * A line comment at the end of a source line that the printer would join with what
 * follows (`decide d "T" // note` then `for a`) would be carried to the end of the
 * joined line, where a second one would run into it. It leads the next node instead,
 * on a line of its own.
 */
function handleLineCommentInLine(comment: AttachedComment, text: string, root: AnyNode): boolean {
  const { enclosingNode, precedingNode } = comment;
  if (comment.kind !== "LineComment" || !enclosingNode || !isDiffuseNode(enclosingNode) || !precedingNode) return false;
  if (enclosingNode.kind === "SourceFile" || endsPrintedLine(enclosingNode, precedingNode, comment, text)) return false;
  const next = nextNode(root, locEnd(comment));
  if (next === undefined) return false;
  return attach(comment, next, "leading");
}

export const handleComments = {
  ownLine: (comment: AttachedComment, text: string): boolean => handleBlockComment(comment, text, true) || handleBlockCommentBetween(comment, text),
  endOfLine: (comment: AttachedComment, text: string, _options: unknown, root: AnyNode): boolean =>
    handleBlockComment(comment, text) ||
    handleLineCommentInLine(comment, text, root) ||
    handleSecondLineComment(comment) ||
    handleBlockCommentBetween(comment, text),
  remaining: (comment: AttachedComment, text: string): boolean => handleBlockComment(comment, text) || handleBlockCommentBetween(comment, text),
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
 * Any dangling comment the node's printer did not place (e.g. `calendar /* c *\/ year`),
 * printed after the node: a block comment inline, a line comment at the end of the line.
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
  return (
    (node as Commented<DiffuseNode>).comments?.some((c) => c.leading === true && (isLineComment(c) || c.placement === "ownLine")) ?? false
  );
}

/** Whether only spaces and tabs separate `offset` from the previous line break (or the file start). */
function hasNewlineBefore(text: string, offset: number): boolean {
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
 * its own line stays there. Before a node in the middle of a line, a block comment stays
 * inline and a line comment goes on a line of its own; a comment written on its own line
 * after a node that does not end a line stays right after it, on a line of its own. So
 * formatting the output again attaches every comment to the same node (idempotency).
 */
export function printWithComments(node: AnyNode, doc: Doc, text: string, startsLine: boolean, endsLine: boolean): Doc {
  const comments = (node as Commented<AnyNode>).comments;
  if (!comments || comments.length === 0) return doc;
  const leading: Doc[] = [];
  const trailing: Doc[] = [];
  let previous: { isBlock: boolean; hasLineSuffix: boolean } | undefined;
  for (const comment of comments) {
    if (comment.printed === true) continue;
    const isBlock = comment.kind === "BlockComment";
    if (comment.leading === true) {
      const printed = commentDoc(comment);
      if (startsLine) {
        const breaks = !isBlock || hasNewlineAfter(text, locEnd(comment));
        leading.push(printed, breaks ? hardline : " ", breaks && isBlankLineAfter(text, locEnd(comment)) ? hardline : "");
      } else if (isBlock) {
        leading.push(printed, " ");
      } else {
        leading.push(hardline, printed, hardline);
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
  return [leading, doc, trailing];
}
