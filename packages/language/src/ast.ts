/**
 * The Diffuse abstract syntax tree.
 *
 * Immutable, discriminated by `kind`; every node carries a `range` of 0-based,
 * end-exclusive UTF-16 offsets into the source text. Literals keep their raw text.
 * Pieces the parser could not find are explicit `Missing` nodes with an empty range
 * at the place they were expected, so a half-typed file still yields a full tree.
 *
 * Semantic facts (resolved names, types, values) never live here: the checker keeps
 * them in side tables keyed by node.
 */

export interface Range {
  /** Offset of the first character (0-based, UTF-16 code units). */
  readonly start: number;
  /** Offset just past the last character. */
  readonly end: number;
}

interface NodeBase {
  readonly range: Range;
}

/** A piece of syntax the parser expected but did not find. */
export interface Missing extends NodeBase {
  readonly kind: "Missing";
  /** Human label of what was expected, e.g. "a name", "a date", "a set expression". */
  readonly expected: string;
}

// ---------------------------------------------------------------------------
// Leaves

/** A declared or referenced name (`tier1`, `LPP`, `H100`). */
export interface Identifier extends NodeBase {
  readonly kind: "Identifier";
  readonly name: string;
}

/** A double-quoted string; `value` has escapes resolved, `raw` is the source text. */
export interface StringLiteral extends NodeBase {
  readonly kind: "StringLiteral";
  readonly value: string;
  readonly raw: string;
}

/** `2025-01-13`. Validity (month/day ranges) is the checker's job. */
export interface DateLiteral extends NodeBase {
  readonly kind: "DateLiteral";
  readonly raw: string;
}

/** `26_900_000`, `5.92`, `1e26`, `2.5e25`. Kept as text; the checker makes an exact rational. */
export interface NumberLiteral extends NodeBase {
  readonly kind: "NumberLiteral";
  readonly raw: string;
}

/** An ISO 3166-1 alpha-2 code inside a set literal (`US`). Validated by the checker. */
export interface CountryCode extends NodeBase {
  readonly kind: "CountryCode";
  readonly code: string;
}

/** `cite "15 CFR 740.29(a)"`: may follow any declaration title and any clause. */
export interface Citation extends NodeBase {
  readonly kind: "Citation";
  readonly text: StringLiteral | Missing;
}

// ---------------------------------------------------------------------------
// Quantities

/** Units a quantity literal may carry. `count` is a bare number (e.g. the `2` in `times 2`). */
export type UnitKeyword = "TPP" | "units" | "ops" | "percent" | "days" | "months" | "years" | "count";

/** `790_000_000 TPP`, `7 %`, `1e26 ops`, `5.92` (bare: unit "count"). */
export interface Quantity extends NodeBase {
  readonly kind: "Quantity";
  readonly value: NumberLiteral;
  readonly unit: UnitKeyword;
  /** Range of the unit keyword, absent for a bare number. */
  readonly unitRange?: Range | undefined;
}

/** `1_700 x H100`: a count of catalog items, in TPP. */
export interface ItemMultiple extends NodeBase {
  readonly kind: "ItemMultiple";
  readonly count: NumberLiteral;
  readonly item: Identifier | Missing;
}

/** `7 % of capacity`: a share of the consignee's declared global capacity. */
export interface PercentOfCapacity extends NodeBase {
  readonly kind: "PercentOfCapacity";
  readonly percent: Quantity;
}

export type QuantityExpr = Quantity | ItemMultiple | PercentOfCapacity | Missing;

// ---------------------------------------------------------------------------
// Country-set expressions

/** `{ AU BE KH until 2026-02-03 }` */
export interface SetLiteral extends NodeBase {
  readonly kind: "SetLiteral";
  readonly members: readonly SetMember[];
}

/** One country in a set literal, optionally dated (`from` inclusive, `until` exclusive). */
export interface SetMember extends NodeBase {
  readonly kind: "SetMember";
  readonly country: CountryCode;
  readonly from?: DateLiteral | Missing | undefined;
  readonly until?: DateLiteral | Missing | undefined;
  readonly cite?: Citation | undefined;
}

/** `all`: every ISO 3166-1 country. */
export interface AllCountries extends NodeBase {
  readonly kind: "AllCountries";
}

/** A reference to a `group`. */
export interface GroupRef extends NodeBase {
  readonly kind: "GroupRef";
  readonly name: Identifier;
}

export type SetOperator = "+" | "-" | "&";

/** `a + b` (union), `a - b` (difference), `a & b` (intersection); left-associative. */
export interface SetBinary extends NodeBase {
  readonly kind: "SetBinary";
  readonly op: SetOperator;
  readonly left: SetExpr;
  readonly right: SetExpr;
}

/** `( ... )`, kept so the formatter can reproduce explicit grouping. */
export interface SetParen extends NodeBase {
  readonly kind: "SetParen";
  readonly inner: SetExpr;
}

export type SetExpr = SetLiteral | AllCountries | GroupRef | SetBinary | SetParen | Missing;

// ---------------------------------------------------------------------------
// Conditions

/** Facts of an order (rule context) or of one item line (class context) that compare to quantities. */
export type Measure =
  | "amount" // rule context: TPP of the order lines the rule covers
  | "quantity" // rule context: units of those lines
  | "capacity" // rule context: consignee's declared global capacity, TPP
  | "tpp" // class context: TPP per unit
  | "density" // class context: performance density
  | "operations"; // class context: training operations of model weights

export type CompareOp = "<" | "<=" | ">" | ">=" | "=" | "!=";

/** `destination in tier2`, `headquarters not in tier1 + {US}` */
export interface InCondition extends NodeBase {
  readonly kind: "InCondition";
  readonly subject: "destination" | "headquarters";
  readonly subjectRange: Range;
  readonly negated: boolean;
  readonly set: SetExpr;
}

/** `consignee has NVEU` */
export interface HasCondition extends NodeBase {
  readonly kind: "HasCondition";
  readonly negated: boolean;
  readonly status: Identifier | Missing;
}

/** `item is advanced_ic` */
export interface IsCondition extends NodeBase {
  readonly kind: "IsCondition";
  readonly negated: boolean;
  readonly itemClass: Identifier | Missing;
}

/** `within country_allocation`: charging the covered amount keeps the cap at or under its limit. */
export interface WithinCondition extends NodeBase {
  readonly kind: "WithinCondition";
  readonly cap: Identifier | Missing;
}

/** `tpp >= 4_800 TPP`, `density >= 5.92`, `operations >= 1e26 ops` */
export interface CompareCondition extends NodeBase {
  readonly kind: "CompareCondition";
  readonly measure: Measure;
  readonly measureRange: Range;
  readonly op: CompareOp;
  readonly value: QuantityExpr;
}

/** `date >= 2025-05-15` */
export interface DateCondition extends NodeBase {
  readonly kind: "DateCondition";
  readonly op: CompareOp;
  readonly value: DateLiteral | Missing;
}

/** Boolean facts: class context `chip`, `model`, `datacenter`, `open`; `true`/`false` anywhere. */
export type FlagName = "chip" | "model" | "datacenter" | "open" | "true" | "false";

export interface FlagCondition extends NodeBase {
  readonly kind: "FlagCondition";
  readonly flag: FlagName;
}

export interface NotCondition extends NodeBase {
  readonly kind: "NotCondition";
  readonly operand: Condition;
}

export interface AndCondition extends NodeBase {
  readonly kind: "AndCondition";
  readonly operands: readonly Condition[];
}

export interface OrCondition extends NodeBase {
  readonly kind: "OrCondition";
  readonly operands: readonly Condition[];
}

export interface ParenCondition extends NodeBase {
  readonly kind: "ParenCondition";
  readonly inner: Condition;
}

export type Condition =
  | InCondition
  | HasCondition
  | IsCondition
  | WithinCondition
  | CompareCondition
  | DateCondition
  | FlagCondition
  | NotCondition
  | AndCondition
  | OrCondition
  | ParenCondition
  | Missing;

// ---------------------------------------------------------------------------
// Clauses shared by several declarations

/** `when <condition>`: several `when` clauses in one block are all required. */
export interface WhenClause extends NodeBase {
  readonly kind: "WhenClause";
  readonly condition: Condition;
  readonly cite?: Citation | undefined;
}

/** `note "..."`: free text shown in explanations. */
export interface NoteClause extends NodeBase {
  readonly kind: "NoteClause";
  readonly text: StringLiteral | Missing;
  readonly cite?: Citation | undefined;
}

/** A clause the parser could not make sense of; its tokens are skipped. */
export interface ErrorClause extends NodeBase {
  readonly kind: "ErrorClause";
}

// ---------------------------------------------------------------------------
// Top level

/** `import "catalog.diffuse"`: brings the file's declarations into scope. */
export interface ImportDecl extends NodeBase {
  readonly kind: "ImportDecl";
  readonly path: StringLiteral | Missing;
}

/** Policy header block. */
export interface PolicyDecl extends NodeBase {
  readonly kind: "PolicyDecl";
  readonly title: StringLiteral | Missing;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly PolicyClause[];
}

export type PolicyClause =
  | { readonly kind: "VersionClause"; readonly range: Range; readonly value: StringLiteral | Missing; readonly cite?: Citation | undefined }
  | { readonly kind: "EffectiveClause"; readonly range: Range; readonly date: DateLiteral | Missing; readonly cite?: Citation | undefined }
  | { readonly kind: "UntilClause"; readonly range: Range; readonly date: DateLiteral | Missing; readonly cite?: Citation | undefined }
  | { readonly kind: "ComplianceClause"; readonly range: Range; readonly date: DateLiteral | Missing; readonly cite?: Citation | undefined }
  | { readonly kind: "SupersedesClause"; readonly range: Range; readonly version: StringLiteral | Missing; readonly cite?: Citation | undefined }
  | CiteClause
  | NoteClause
  | ErrorClause;

/** A standalone `cite "..."` line inside a block. */
export interface CiteClause extends NodeBase {
  readonly kind: "CiteClause";
  readonly cite: Citation;
}

/** `policyset "Title" { use "a.diffuse" use "b.diffuse" }`: versions the engine picks from by date. */
export interface PolicySetDecl extends NodeBase {
  readonly kind: "PolicySetDecl";
  readonly title: StringLiteral | Missing;
  readonly cite?: Citation | undefined;
  readonly uses: readonly (UseClause | NoteClause | ErrorClause)[];
}

export interface UseClause extends NodeBase {
  readonly kind: "UseClause";
  readonly path: StringLiteral | Missing;
}

/** `group tier1 "Tier 1" cite "..." = { ... }` */
export interface GroupDecl extends NodeBase {
  readonly kind: "GroupDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly value: SetExpr;
}

/** `disjoint tier1, tier2, tier3`: the checker requires these groups never to overlap. */
export interface DisjointDecl extends NodeBase {
  readonly kind: "DisjointDecl";
  readonly groups: readonly (Identifier | Missing)[];
  readonly cite?: Citation | undefined;
}

/** `item H100 "NVIDIA H100 SXM" { tpp 15_832 TPP  density 19.45  eccn "3A090.a" }` */
export interface ItemDecl extends NodeBase {
  readonly kind: "ItemDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly ItemClause[];
}

export type ItemClause =
  | { readonly kind: "TppClause"; readonly range: Range; readonly value: QuantityExpr; readonly cite?: Citation | undefined }
  | { readonly kind: "DensityClause"; readonly range: Range; readonly value: QuantityExpr; readonly cite?: Citation | undefined }
  | { readonly kind: "EccnClause"; readonly range: Range; readonly value: StringLiteral | Missing; readonly cite?: Citation | undefined }
  | { readonly kind: "DatacenterClause"; readonly range: Range; readonly value: boolean; readonly valueRange: Range; readonly cite?: Citation | undefined }
  | CiteClause
  | NoteClause
  | ErrorClause;

/** `model frontier "..." { operations 3e26 ops  weights closed }` */
export interface ModelDecl extends NodeBase {
  readonly kind: "ModelDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly ModelClause[];
}

export type ModelClause =
  | { readonly kind: "OperationsClause"; readonly range: Range; readonly value: QuantityExpr; readonly cite?: Citation | undefined }
  | { readonly kind: "WeightsClause"; readonly range: Range; readonly open: boolean; readonly valueRange: Range; readonly cite?: Citation | undefined }
  | CiteClause
  | NoteClause
  | ErrorClause;

/** `class advanced_ic "3A090.a" { eccn "3A090.a"  when chip and tpp >= 4_800 TPP }` */
export interface ClassDecl extends NodeBase {
  readonly kind: "ClassDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly ClassClause[];
}

export type ClassClause =
  | { readonly kind: "EccnClause"; readonly range: Range; readonly value: StringLiteral | Missing; readonly cite?: Citation | undefined }
  | WhenClause
  | CiteClause
  | NoteClause
  | ErrorClause;

/** Dimensions a cap is counted per. */
export type KeyPart = "destination" | "headquarters" | "consignee" | "exporter" | "global";

export interface CapKey extends NodeBase {
  readonly kind: "CapKey";
  /** `consignee x destination` has two parts; `global` stands alone. */
  readonly parts: readonly { readonly part: KeyPart; readonly range: Range }[];
}

export type Window =
  | { readonly kind: "CalendarYearWindow"; readonly range: Range }
  | { readonly kind: "FixedWindow"; readonly range: Range; readonly from: DateLiteral | Missing; readonly to: DateLiteral | Missing }
  | { readonly kind: "RollingWindow"; readonly range: Range; readonly length: Quantity | Missing }
  | { readonly kind: "AllTimeWindow"; readonly range: Range }
  | Missing;

/** One step of a cumulative-through-date schedule: `through 2025-12-31 limit 1_583_200_000 TPP`. */
export interface ScheduleStep extends NodeBase {
  readonly kind: "ScheduleStep";
  readonly through: DateLiteral | Missing;
  readonly limit: QuantityExpr;
  readonly cite?: Citation | undefined;
}

export type CapClause =
  | { readonly kind: "LimitClause"; readonly range: Range; readonly value: QuantityExpr; readonly cite?: Citation | undefined }
  | { readonly kind: "PerClause"; readonly range: Range; readonly key: CapKey | Missing; readonly cite?: Citation | undefined }
  | { readonly kind: "WindowClause"; readonly range: Range; readonly window: Window; readonly cite?: Citation | undefined }
  | { readonly kind: "ScheduleClause"; readonly range: Range; readonly steps: readonly ScheduleStep[]; readonly cite?: Citation | undefined }
  | { readonly kind: "TimesClause"; readonly range: Range; readonly factor: QuantityExpr; readonly condition: Condition; readonly cite?: Citation | undefined }
  | WhenClause
  | CiteClause
  | NoteClause
  | ErrorClause;

/** `cap country_allocation "..." { limit ... per ... window ... times 2 when ... }` */
export interface CapDecl extends NodeBase {
  readonly kind: "CapDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly CapClause[];
}

/** Clauses of an exception or a status. */
export type AuthorizationClause =
  | WhenClause
  | { readonly kind: "WithinClause"; readonly range: Range; readonly caps: readonly (Identifier | Missing)[]; readonly cite?: Citation | undefined }
  | {
      readonly kind: "CountsTowardClause";
      readonly range: Range;
      readonly caps: readonly (Identifier | Missing)[];
      readonly nothing: boolean;
      readonly cite?: Citation | undefined;
    }
  | { readonly kind: "RequiresClause"; readonly range: Range; readonly text: StringLiteral | Missing; readonly cite?: Citation | undefined }
  | CiteClause
  | NoteClause
  | ErrorClause;

/** `exception LPP "Low Processing Performance" cite "15 CFR 740.29" { ... }` */
export interface ExceptionDecl extends NodeBase {
  readonly kind: "ExceptionDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly AuthorizationClause[];
}

/** `status NVEU "National Validated End User" { ... }`: only holders may use it. */
export interface StatusDecl extends NodeBase {
  readonly kind: "StatusDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  readonly cite?: Citation | undefined;
  readonly clauses: readonly AuthorizationClause[];
}

export type ReviewPolicy = "presumption-of-approval" | "case-by-case" | "presumption-of-denial";

export interface Review extends NodeBase {
  readonly kind: "Review";
  readonly policy: ReviewPolicy;
}

/** `review presumption of approval when within country_allocation` / `review ... otherwise` */
export interface ReviewCase extends NodeBase {
  readonly kind: "ReviewCase";
  readonly review: Review | Missing;
  /** Absent for `otherwise`. */
  readonly condition?: Condition | undefined;
  readonly cite?: Citation | undefined;
}

/** Rules of a `decide` block, tried in order; the first that applies decides. */
export type Rule =
  | {
      readonly kind: "ProhibitRule";
      readonly range: Range;
      readonly condition?: Condition | undefined;
      readonly cite?: Citation | undefined;
    }
  | {
      readonly kind: "AuthorizeRule";
      readonly range: Range;
      /** An exception or status name, or `NLR`. */
      readonly basis: Identifier | Missing;
      readonly condition?: Condition | undefined;
      readonly cite?: Citation | undefined;
    }
  | {
      readonly kind: "LicenseRule";
      readonly range: Range;
      readonly condition?: Condition | undefined;
      /** Caps a granted license is charged to (`charging country_allocation`). */
      readonly charging: readonly (Identifier | Missing)[];
      /** `license review case-by-case ...` (single) or a block of review cases. */
      readonly reviews: readonly ReviewCase[];
      readonly cite?: Citation | undefined;
    }
  | CiteClause
  | NoteClause
  | ErrorClause;

/** `decide chips "3A090.a chips" for advanced_ic { ... }` */
export interface DecideDecl extends NodeBase {
  readonly kind: "DecideDecl";
  readonly name: Identifier | Missing;
  readonly title?: StringLiteral | undefined;
  /** The item classes whose order lines this block decides. */
  readonly classes: readonly (Identifier | Missing)[];
  readonly cite?: Citation | undefined;
  readonly rules: readonly Rule[];
}

export type Declaration =
  | ImportDecl
  | PolicyDecl
  | PolicySetDecl
  | GroupDecl
  | DisjointDecl
  | ItemDecl
  | ModelDecl
  | ClassDecl
  | CapDecl
  | ExceptionDecl
  | StatusDecl
  | DecideDecl
  | ErrorClause;

/** A whole source file. */
export interface SourceFile extends NodeBase {
  readonly kind: "SourceFile";
  readonly uri: string;
  readonly declarations: readonly Declaration[];
}

/** Comments and other trivia, kept beside the tree for the formatter. */
export interface Comment extends NodeBase {
  readonly kind: "LineComment" | "BlockComment";
  /** The comment's full source text, delimiters included. */
  readonly text: string;
}
