/**
 * Every node kind of the Diffuse AST in one union, so the printer and the comment
 * machinery can be tables keyed by `kind` that the compiler checks for completeness.
 */
import type {
  AuthorizationClause,
  CapClause,
  CapKey,
  Citation,
  ClassClause,
  Comment,
  Condition,
  CountryCode,
  DateLiteral,
  Declaration,
  Identifier,
  ItemClause,
  ModelClause,
  NumberLiteral,
  PolicyClause,
  QuantityExpr,
  Review,
  ReviewCase,
  Rule,
  ScheduleStep,
  SetExpr,
  SetMember,
  SourceFile,
  StringLiteral,
  UseClause,
  Window,
} from "@diffuse/language";

/** Any node of a Diffuse syntax tree (comments excluded). */
export type DiffuseNode =
  | SourceFile
  | Declaration
  | PolicyClause
  | UseClause
  | ItemClause
  | ModelClause
  | ClassClause
  | CapClause
  | ScheduleStep
  | AuthorizationClause
  | Rule
  | ReviewCase
  | Review
  | CapKey
  | Window
  | Condition
  | SetExpr
  | SetMember
  | QuantityExpr
  | Citation
  | Identifier
  | StringLiteral
  | DateLiteral
  | NumberLiteral
  | CountryCode;

export type NodeKind = DiffuseNode["kind"];

/** The node type of one kind (a union when two contexts share a kind, e.g. `EccnClause`). */
export type NodeOf<K extends NodeKind> = Extract<DiffuseNode, { readonly kind: K }>;

/** Keys of a node type whose values are child nodes (or arrays of them). */
type ChildKey<N> = {
  [P in keyof N]-?: NonNullable<N[P]> extends DiffuseNode | readonly DiffuseNode[] ? P : never;
}[keyof N] &
  string;

/**
 * The properties holding child nodes, per kind, in source order. Prettier walks these
 * to attach comments; `range`, `unitRange` and the like are not nodes.
 */
export const VISITOR_KEYS: { readonly [K in NodeKind]: readonly ChildKey<NodeOf<K>>[] } = {
  SourceFile: ["declarations"],
  Missing: [],
  ErrorClause: [],
  // leaves
  Identifier: [],
  StringLiteral: [],
  DateLiteral: [],
  NumberLiteral: [],
  CountryCode: [],
  Citation: ["text"],
  // quantities
  Quantity: ["value"],
  ItemMultiple: ["count", "item"],
  PercentOfCapacity: ["percent"],
  // sets
  SetLiteral: ["members"],
  SetMember: ["country", "from", "until", "cite"],
  AllCountries: [],
  GroupRef: ["name"],
  SetBinary: ["left", "right"],
  SetParen: ["inner"],
  // conditions
  InCondition: ["set"],
  HasCondition: ["status"],
  IsCondition: ["itemClass"],
  WithinCondition: ["cap"],
  CompareCondition: ["value"],
  DateCondition: ["value"],
  FlagCondition: [],
  NotCondition: ["operand"],
  AndCondition: ["operands"],
  OrCondition: ["operands"],
  ParenCondition: ["inner"],
  // shared clauses
  WhenClause: ["condition", "cite"],
  NoteClause: ["text", "cite"],
  CiteClause: ["cite"],
  // declarations
  ImportDecl: ["path"],
  PolicyDecl: ["title", "cite", "clauses"],
  VersionClause: ["value", "cite"],
  EffectiveClause: ["date", "cite"],
  UntilClause: ["date", "cite"],
  ComplianceClause: ["date", "cite"],
  SupersedesClause: ["version", "cite"],
  PolicySetDecl: ["title", "cite", "uses"],
  UseClause: ["path"],
  GroupDecl: ["name", "title", "cite", "value"],
  DisjointDecl: ["groups", "cite"],
  ItemDecl: ["name", "title", "cite", "clauses"],
  TppClause: ["value", "cite"],
  DensityClause: ["value", "cite"],
  EccnClause: ["value", "cite"],
  DatacenterClause: ["cite"],
  ModelDecl: ["name", "title", "cite", "clauses"],
  OperationsClause: ["value", "cite"],
  WeightsClause: ["cite"],
  ClassDecl: ["name", "title", "cite", "clauses"],
  CapDecl: ["name", "title", "cite", "clauses"],
  CapKey: [],
  LimitClause: ["value", "cite"],
  PerClause: ["key", "cite"],
  WindowClause: ["window", "cite"],
  CalendarYearWindow: [],
  FixedWindow: ["from", "to"],
  RollingWindow: ["length"],
  AllTimeWindow: [],
  ScheduleClause: ["steps", "cite"],
  ScheduleStep: ["through", "limit", "cite"],
  TimesClause: ["factor", "condition", "cite"],
  ExceptionDecl: ["name", "title", "cite", "clauses"],
  StatusDecl: ["name", "title", "cite", "clauses"],
  WithinClause: ["caps", "cite"],
  CountsTowardClause: ["caps", "cite"],
  RequiresClause: ["text", "cite"],
  DecideDecl: ["name", "title", "classes", "cite", "rules"],
  ProhibitRule: ["condition", "cite"],
  AuthorizeRule: ["basis", "condition", "cite"],
  LicenseRule: ["charging", "condition", "reviews", "cite"],
  ReviewCase: ["review", "condition", "cite"],
  Review: [],
};

const KINDS = new Set<string>(Object.keys(VISITOR_KEYS));

/** Whether a value is a Diffuse syntax node (comments and plain objects are not). */
export function isDiffuseNode(value: unknown): value is DiffuseNode {
  return typeof value === "object" && value !== null && "kind" in value && typeof value.kind === "string" && KINDS.has(value.kind);
}

/** A comment as Prettier sees it: the language's comment plus the marks Prettier's attachment adds. */
export interface PrettierComment extends Comment {
  /** Prettier's error messages read `value`. */
  value: string;
  leading?: boolean;
  trailing?: boolean;
  printed?: boolean;
  placement?: "ownLine" | "endOfLine" | "remaining";
}

/** A node after Prettier attached comments to it. */
export type Commented<N> = N & { comments?: PrettierComment[] };

/** The root Prettier formats: the source file plus the comments of the whole text. */
export type DiffuseRoot = SourceFile & { comments: PrettierComment[] };

export type AnyNode = DiffuseNode | PrettierComment;

export function isComment(value: AnyNode): value is PrettierComment {
  return value.kind === "LineComment" || value.kind === "BlockComment";
}

/**
 * The two halves of a short license rule written with a condition on both sides of the
 * review (`license when A review P when B`), which the parser joins into `A and B`.
 */
export function splitLicenseCondition(node: NodeOf<"LicenseRule">): readonly [DiffuseNode, DiffuseNode] | undefined {
  const { condition } = node;
  const [review, ...more] = node.reviews;
  if (condition?.kind !== "AndCondition" || review === undefined || more.length > 0) return undefined;
  const [a, b, ...rest] = condition.operands;
  if (!a || !b || rest.length > 0) return undefined;
  return a.range.end <= review.range.start && review.range.end <= b.range.start ? [a, b] : undefined;
}

/**
 * Whether a license rule is written in the short form `license ... review P [when C]`
 * rather than with a `{ review ... }` block. Both give the same tree when the block holds
 * one unconditional review; the formatter keeps the form the author chose.
 */
export function isShortLicense(node: NodeOf<"LicenseRule">, text: string): boolean {
  const [only, ...more] = node.reviews;
  if (only === undefined || more.length > 0 || only.condition !== undefined || only.cite !== undefined) return false;
  let from = node.range.start;
  const { condition } = node;
  const conditions = condition ? [condition, ...(condition.kind === "AndCondition" ? condition.operands : [])] : [];
  for (const child of [...node.charging, ...conditions]) {
    if (child.range.end <= only.range.start) from = Math.max(from, child.range.end);
  }
  const gap = text.slice(from, only.range.start).replace(/\/\/[^\n]*|\/\*(?:[^*]|\*(?!\/))*\*\//g, " ");
  return !gap.includes("{");
}
