/**
 * The checker: name resolution, unit checking, policy-structure checks, and lowering
 * to the PolicyModel the engine compiles. Works best effort: a model is produced even
 * when there are errors; callers look for error diagnostics.
 *
 * One namespace per policy: the policy's file plus everything it imports. A policy set
 * checks each file it uses as its own policy.
 */
import type {
  AuthorizationClause,
  CapDecl,
  CapKey,
  ClassDecl,
  Condition,
  DateLiteral,
  DecideDecl,
  Declaration,
  DisjointDecl,
  ExceptionDecl,
  GroupDecl,
  Identifier,
  ItemDecl,
  Missing,
  ModelDecl,
  PolicyDecl,
  PolicySetDecl,
  QuantityExpr,
  Range,
  Rule,
  SetExpr,
  SetLiteral,
  SetMember,
  StatusDecl,
  Citation,
  Measure,
  ScheduleStep,
  Window,
} from "../ast.js";
import { CODES, type Code } from "../codes.js";
import { COUNTRY_CODES, countryAlias, countryName, isCountryCode } from "../countries.js";
import type { Diagnostic, FixData, RelatedLocation } from "../diagnostic.js";
import type {
  AuthorizationModel,
  CapLimit,
  CapModel,
  CapModifier,
  CapWindow,
  ClassModel,
  Cond,
  CountrySetRef,
  DecideModel,
  ExactQuantity,
  GroupModel,
  ItemModel,
  ModelWeightsModel,
  PolicyHeader,
  PolicyModel,
  Rational,
  ReviewCaseModel,
  RuleModel,
  ScheduleStepModel,
  SourceRef,
  WhenModel,
} from "../model.js";
import { formatRational, isInteger, mul, parseRational, rational } from "../rational.js";
import { isValidDate, previousDay } from "./dates.js";
import { BEGIN, END, EMPTY, LazyMembers, SetBuilder, countries, difference, everything, intersection, isEmpty, spansOf, union, type DatedSet, type Span } from "./intervals.js";
import { displayName, type ParsedFile, type Program } from "./program.js";
import { closest } from "./suggest.js";
import { Sink } from "./sink.js";
import type { CountryReference, DeclarationInfo, DeclarationKind, ImportLink, QuantityInfo, ReferenceInfo, SymbolIndex } from "./symbols.js";
import { MAX_DEPTH, citeText, opt, put, str, unreachable, type Value, type ValueUnit } from "./util.js";

export interface PolicySetModel {
  readonly title: string;
  readonly cite?: string;
  /** The used policies, in the order listed; files that could not be read are left out. */
  readonly versions: readonly PolicyModel[];
  readonly source: SourceRef;
}

export interface CheckResult {
  /** The entry's policy (for a policy set: an empty model of the set file; see `policySet`). */
  readonly model: PolicyModel;
  /** Every diagnostic of the program: syntax, loader and semantic, sorted by file then offset. */
  readonly diagnostics: readonly Diagnostic[];
  readonly index: SymbolIndex;
  /** Present when the entry file is a `policyset`: each used version checked on its own. */
  readonly policySet?: PolicySetModel;
  readonly program: Program;
}

type Ctx = "class" | "rule";

const UNIT_TEXT: Record<ValueUnit, string> = {
  TPP: "an amount in TPP",
  units: "a number of units",
  ops: "a number of operations",
  percent: "a percent",
  count: "a plain number",
  days: "a period",
  months: "a period",
  years: "a period",
  "percent-of-capacity": "a share of capacity",
};

const MEASURE_UNIT: Record<Measure, ExactQuantity["unit"]> = {
  amount: "TPP",
  quantity: "units",
  capacity: "TPP",
  tpp: "TPP",
  density: "count",
  operations: "ops",
};

const MEASURE_EXAMPLE: Record<Measure, string> = {
  amount: "`1_700 x H100` or `26_900_000 TPP`",
  quantity: "`6 units`",
  capacity: "`1e9 TPP`",
  tpp: "`4_800 TPP`",
  density: "a plain number such as `5.92`",
  operations: "`1e26 ops`",
};

const CLASS_MEASURES: ReadonlySet<Measure> = new Set(["tpp", "density", "operations"]);

const KIND_TEXT: Record<DeclarationKind, string> = {
  group: "a group",
  item: "an item",
  model: "a model",
  class: "a class",
  cap: "a cap",
  exception: "an exception",
  status: "a status",
  decide: "a decide block",
};

type NamedDecl = GroupDecl | ItemDecl | ModelDecl | ClassDecl | CapDecl | ExceptionDecl | StatusDecl | DecideDecl;

function declKind(decl: NamedDecl): DeclarationKind {
  switch (decl.kind) {
    case "GroupDecl":
      return "group";
    case "ItemDecl":
      return "item";
    case "ModelDecl":
      return "model";
    case "ClassDecl":
      return "class";
    case "CapDecl":
      return "cap";
    case "ExceptionDecl":
      return "exception";
    case "StatusDecl":
      return "status";
    case "DecideDecl":
      return "decide";
    default:
      return unreachable(decl);
  }
}

/**
 * Number literals parsed once per process: policies repeat the same few (`15_832`,
 * `26_900_000`, `7`), and an editor re-checks on every keystroke. Values are immutable, so
 * they are shared. Bounded: cleared when it grows past 4,096 literals.
 */
const literalValues = new Map<string, Rational | null>();

function literalValue(raw: string): Rational | undefined {
  let r = literalValues.get(raw);
  if (r === undefined) {
    if (literalValues.size >= 4096) literalValues.clear();
    r = parseRational(raw) ?? null;
    literalValues.set(raw, r);
  }
  return r ?? undefined;
}

/** The span of a member without `from` or `until`. */
const ALWAYS_SPAN: Span = Object.freeze([BEGIN, END] as const);
interface Extra {
  readonly help?: string;
  readonly related?: readonly RelatedLocation[];
  readonly fixes?: readonly FixData[];
}

/** Checks one policy: a root file plus its transitive imports, in one namespace. */
class PolicyChecker {
  private uri: string;
  private readonly names = new Map<string, DeclarationInfo>();
  /** Named declarations that are not in \`names\` (a duplicate, or a built-in name): usually none. */
  private readonly shadowed = new Set<NamedDecl>();
  /** While collecting a file: the infos another policy already made for its declarations. */
  private shared: ReadonlyMap<number, DeclarationInfo> | undefined;
  /** The file `text` read last (it is usually asked for the same one again). */
  private lastFile: ParsedFile | undefined;
  private readonly groupValues = new Map<GroupDecl, DatedSet | "pending">();
  private readonly groupMembers = new Map<GroupDecl, LazyMembers>();
  private readonly itemValues = new Map<ItemDecl, ItemModel | "pending">();
  private allSet: DatedSet | undefined;
  private effective: string | undefined;

  private readonly groups = new Map<string, GroupModel>();
  private readonly items = new Map<string, ItemModel>();
  private readonly models = new Map<string, ModelWeightsModel>();
  private readonly classes: ClassModel[] = [];
  private readonly caps = new Map<string, CapModel>();
  private readonly authorizations = new Map<string, AuthorizationModel>();
  private readonly decisions: DecideModel[] = [];
  private readonly disjoint: { groups: string[]; source: SourceRef }[] = [];
  private header: PolicyHeader | undefined;

  constructor(
    private readonly sink: Sink,
    private readonly files: readonly ParsedFile[],
    /** Imports before importers: the order declarations are registered (and checked) in. */
    private readonly declarationOrder: readonly ParsedFile[],
  ) {
    this.uri = files[0]?.uri ?? "";
  }

  // -- reporting ------------------------------------------------------------

  private report(code: Code, range: Range, message: string, extra: Extra = {}): void {
    this.sink.add({ code, severity: CODES[code].severity, message, uri: this.uri, range, ...extra });
  }

  private src(range: Range): SourceRef {
    return { uri: this.uri, range };
  }

  private reference(id: Identifier, declaration: DeclarationInfo | undefined): void {
    if (!this.sink.indexes(this, this.uri)) return;
    this.sink.references.add(this.uri, id, declaration);
  }

  private text(range: Range): string {
    return this.fileText().slice(range.start, range.end);
  }

  /** The text of the file being checked. */
  private fileText(): string {
    let file = this.lastFile;
    if (file?.uri !== this.uri) {
      file = this.files.find((f) => f.uri === this.uri);
      this.lastFile = file;
    }
    return file?.text ?? "";
  }

  /**
   * What to insert after the clause ending at `clauseEnd` to add `clause` after it: on a
   * line of its own, indented as the line the clause ends on and with the file's line
   * ending; in a declaration written on one line, after a space.
   */
  private clauseAfter(declStart: number, clauseEnd: number, clause: string): string {
    const text = this.fileText();
    const lineStart = text.lastIndexOf("\n", clauseEnd - 1) + 1;
    if (lineStart <= declStart) return ` ${clause}`;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, clauseEnd))?.[0] ?? "";
    const eol = text.charCodeAt(lineStart - 2) === 13 ? "\r\n" : "\n";
    return `${eol}${indent}${clause}`;
  }

  // -- run --------------------------------------------------------------------

  run(): PolicyModel {
    const root = this.files[0];
    const headers = this.collect(root);
    if (root) this.checkHeader(root, headers);
    for (const file of this.declarationOrder) {
      this.uri = file.uri;
      for (const decl of file.ast.declarations) this.checkDeclaration(decl);
    }
    return {
      uri: root?.uri ?? "",
      ...opt("header", this.header),
      groups: this.groups,
      disjoint: this.disjoint,
      items: this.items,
      models: this.models,
      classes: this.classes,
      caps: this.caps,
      authorizations: this.authorizations,
      decisions: this.decisions,
      sources: this.files.map((f) => ({ uri: f.uri, text: f.text })),
    };
  }

  /**
   * Registers every named declaration; reports duplicates. Returns the root file's headers
   * (found in the same pass: a large file's declarations are read from memory once more
   * for each pass over them).
   */
  private collect(root: ParsedFile | undefined): (PolicyDecl | PolicySetDecl)[] {
    const headers: (PolicyDecl | PolicySetDecl)[] = [];
    for (const file of this.declarationOrder) {
      this.uri = file.uri;
      this.shared = this.sink.sharedDeclarations(file.uri);
      const isRoot = file === root;
      for (const decl of file.ast.declarations) {
        switch (decl.kind) {
          case "GroupDecl":
          case "ItemDecl":
          case "ModelDecl":
          case "ClassDecl":
          case "CapDecl":
          case "ExceptionDecl":
          case "StatusDecl":
          case "DecideDecl":
            this.declare(decl);
            break;
          case "PolicyDecl":
          case "PolicySetDecl":
            if (isRoot) headers.push(decl);
            break;
          case "ImportDecl":
          case "DisjointDecl":
          case "ErrorClause":
            break;
          default:
            unreachable(decl);
        }
      }
    }
    return headers;
  }

  private declare(decl: NamedDecl): void {
    if (decl.name.kind !== "Identifier") return;
    const name = decl.name.name;
    let info = this.shared?.get(decl.range.start);
    if (!info) {
      // Built with one shape (absent title/cite assigned only when present) to stay monomorphic.
      const made: { -readonly [K in keyof DeclarationInfo]: DeclarationInfo[K] } = { name, kind: declKind(decl), uri: this.uri, nameRange: decl.name.range, range: decl.range, node: decl };
      const title = decl.title?.value;
      if (title !== undefined) made.title = title;
      const cite = citeText(decl.cite);
      if (cite !== undefined) made.cite = cite;
      info = made;
      this.sink.addDeclaration(this.uri, info);
    }
    const first = this.names.get(name);
    if (first) {
      const where = first.uri === this.uri ? "" : ` in \`${displayName(first.uri)}\``;
      this.report("DF2003", decl.name.range, `\`${name}\` is already declared${where}`, {
        help: "rename one of the declarations; names share one namespace with every imported file",
        related: [{ uri: first.uri, range: first.nameRange, message: `first declaration of \`${name}\`` }],
      });
      this.shadowed.add(decl);
      return;
    }
    if (name === "NLR" && (decl.kind === "ExceptionDecl" || decl.kind === "StatusDecl")) {
      this.report("DF2003", decl.name.range, "`NLR` is built in and cannot be declared", {
        help: "`authorize NLR` already means no license required; choose another name",
      });
      this.shadowed.add(decl);
      return;
    }
    this.names.set(name, info);
  }

  // -- names ------------------------------------------------------------------

  /**
   * Resolves a reference to a declaration of one of `kinds`; reports unknown names
   * (with did-you-mean) and names of the wrong kind. `what` names the expected kind in messages.
   */
  private resolve(id: Identifier | Missing, kinds: readonly DeclarationKind[], what: string): DeclarationInfo | undefined {
    if (id.kind !== "Identifier") return undefined;
    const found = this.names.get(id.name);
    const good = found && kinds.includes(found.kind) ? found : undefined;
    this.reference(id, found);
    if (good) return good;
    const candidates: string[] = [];
    for (const d of this.names.values()) if (kinds.includes(d.kind)) candidates.push(d.name);
    if (kinds.includes("exception")) candidates.push("NLR");
    const suggestion = closest(id.name, candidates);
    const extra: Extra = suggestion
      ? {
          help: `did you mean \`${suggestion}\`?`,
          fixes: [{ title: `change to \`${suggestion}\``, edits: [{ range: id.range, newText: suggestion }] }],
        }
      : {};
    if (found) {
      this.report("DF2004", id.range, `\`${id.name}\` is ${KIND_TEXT[found.kind]}, not ${what}`, {
        ...extra,
        help: extra.help ?? `${what} is expected here`,
        related: [{ uri: found.uri, range: found.nameRange, message: `\`${id.name}\` is declared here` }],
      });
    } else {
      this.report("DF2001", id.range, `unknown ${what.replace(/^an? /, "")} \`${id.name}\``, {
        ...extra,
        help: extra.help ?? `declare it, or import the file that declares it`,
      });
    }
    return undefined;
  }

  // -- header -------------------------------------------------------------------

  /** `headers`: the root file's `policy` and `policyset` declarations, in source order. */
  private checkHeader(root: ParsedFile, headers: readonly (PolicyDecl | PolicySetDecl)[]): void {
    this.uri = root.uri;
    let seen = false;
    for (const decl of headers) {
      if (seen) {
        this.report("DF4014", this.headerRange(decl), "this file already has a header", {
          help: "a file holds one `policy` or one `policyset`; move the other into its own file",
        });
        continue;
      }
      seen = true;
      if (decl.kind === "PolicyDecl") this.header = this.lowerHeader(decl);
    }
  }

  private headerRange(decl: PolicyDecl | PolicySetDecl): Range {
    return decl.title.kind === "StringLiteral" ? decl.title.range : { start: decl.range.start, end: Math.min(decl.range.end, decl.range.start + (decl.kind === "PolicyDecl" ? 6 : 9)) };
  }

  private lowerHeader(decl: PolicyDecl): PolicyHeader {
    let version: string | undefined;
    let effective: { date: string; range: Range } | undefined;
    let until: { date: string; range: Range } | undefined;
    let compliance: string | undefined;
    let supersedes: string | undefined;
    let cite = citeText(decl.cite);
    const once = new Map<string, Range>();
    const dup = (key: string, range: Range): boolean => {
      const first = once.get(key);
      if (first) {
        this.report("DF4012", range, `the header already has \`${key}\``, {
          related: [{ uri: this.uri, range: first, message: `first \`${key}\`` }],
          help: "keep one",
        });
        return true;
      }
      once.set(key, range);
      return false;
    };
    for (const clause of decl.clauses) {
      switch (clause.kind) {
        case "VersionClause":
          if (!dup("version", clause.range)) version = str(clause.value);
          break;
        case "EffectiveClause": {
          const d = this.date(clause.date);
          if (!dup("effective", clause.range) && d && clause.date.kind === "DateLiteral") effective = { date: d, range: clause.date.range };
          break;
        }
        case "UntilClause": {
          const d = this.date(clause.date);
          if (!dup("until", clause.range) && d && clause.date.kind === "DateLiteral") until = { date: d, range: clause.date.range };
          break;
        }
        case "ComplianceClause": {
          const d = this.date(clause.date);
          if (!dup("compliance", clause.range) && d) compliance = d;
          break;
        }
        case "SupersedesClause":
          if (!dup("supersedes", clause.range)) supersedes = str(clause.version);
          break;
        case "CiteClause":
          cite ??= citeText(clause.cite);
          break;
        case "NoteClause":
        case "ErrorClause":
          break;
        default:
          unreachable(clause);
      }
    }
    const at = this.headerRange(decl);
    if (version === undefined && !once.has("version")) {
      this.report("DF4001", at, "the policy header has no `version`", { help: 'add `version "..."` inside the header block' });
    }
    if (effective === undefined && !once.has("effective")) {
      this.report("DF4001", at, "the policy header has no `effective` date", { help: "add `effective YYYY-MM-DD` inside the header block" });
    }
    if (effective && until && until.date <= effective.date) {
      this.report("DF4002", until.range, `\`until\` ${until.date} is not after \`effective\` ${effective.date}`, {
        help: "`until` is the exclusive end of the policy: it must come after `effective`",
        related: [{ uri: this.uri, range: effective.range, message: "effective date" }],
      });
    }
    this.effective = effective?.date;
    const header: PolicyHeader = { title: str(decl.title) ?? "", version: version ?? "", effective: effective?.date ?? "", source: this.src(decl.range) };
    put(header, "until", until?.date);
    put(header, "compliance", compliance);
    put(header, "supersedes", supersedes);
    put(header, "cite", cite);
    return header;
  }

  // -- declarations -------------------------------------------------------------

  private checkDeclaration(decl: Declaration): void {
    switch (decl.kind) {
      case "ImportDecl":
      case "PolicyDecl":
      case "PolicySetDecl":
      case "ErrorClause":
        return;
      case "GroupDecl":
        this.checkGroup(decl);
        return;
      case "DisjointDecl":
        this.checkDisjoint(decl);
        return;
      case "ItemDecl":
        this.itemValue(decl, this.uri);
        return;
      case "ModelDecl":
        this.checkModel(decl);
        return;
      case "ClassDecl":
        this.checkClass(decl);
        return;
      case "CapDecl":
        this.checkCap(decl);
        return;
      case "ExceptionDecl":
      case "StatusDecl":
        this.checkAuthorization(decl);
        return;
      case "DecideDecl":
        this.checkDecide(decl);
        return;
      default:
        unreachable(decl);
    }
  }

  /** Is `decl` the declaration its name stands for (not a duplicate)? */
  private isPrimary(decl: NamedDecl): boolean {
    return decl.name.kind === "Identifier" && (this.shadowed.size === 0 || !this.shadowed.has(decl));
  }

  // -- groups and sets ------------------------------------------------------------

  private checkGroup(decl: GroupDecl): void {
    const members = this.groupMembership(decl, this.uri);
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) {
      const group: GroupModel = {
        name: decl.name.name,
        get members() {
          return members.get();
        },
        source: this.src(decl.range),
      };
      put(group, "title", decl.title?.value);
      put(group, "cite", citeText(decl.cite));
      this.groups.set(decl.name.name, group);
    }
  }

  /** The group's value now (its diagnostics are reported here); its membership intervals on first read. */
  private groupMembership(decl: GroupDecl, uri: string): LazyMembers {
    let m = this.groupMembers.get(decl);
    if (!m) {
      m = new LazyMembers(this.groupValue(decl, uri));
      this.groupMembers.set(decl, m);
    }
    return m;
  }

  /** Evaluates a group once (memoized); a group that refers back to itself is reported and empty. */
  /** `uri` is the file that declares the group (its own diagnostics go there). */
  private groupValue(decl: GroupDecl, uri: string, via?: Identifier): DatedSet {
    const memo = this.groupValues.get(decl);
    if (memo === "pending") {
      if (via) {
        this.report("DF2008", via.range, `group \`${via.name}\` is defined in terms of itself`, {
          help: "a group's value cannot depend on the group; remove the reference",
        });
      }
      return EMPTY;
    }
    if (memo) return memo;
    this.groupValues.set(decl, "pending");
    const saved = this.uri;
    this.uri = uri;
    const value = this.setValue(decl.value, 0);
    this.uri = saved;
    this.groupValues.set(decl, value);
    return value;
  }

  private all(): DatedSet {
    this.allSet ??= everything();
    return this.allSet;
  }

  /** Evaluates a set expression. Left-nested chains (`a + b + c ...`) are walked without recursion. */
  private setValue(expr: SetExpr, depth: number): DatedSet {
    if (depth > MAX_DEPTH) {
      return EMPTY; // the parser bounds nesting (and reports it); this only guards hand-built trees
    }
    const chain: { op: "+" | "-" | "&"; right: SetExpr }[] = [];
    let left: SetExpr = expr;
    while (left.kind === "SetBinary") {
      chain.push({ op: left.op, right: left.right });
      left = left.left;
    }
    let value = this.setTerm(left, depth);
    for (let i = chain.length - 1; i >= 0; i--) {
      const step = chain[i];
      if (!step) continue;
      const right = this.setValue(step.right, depth + 1);
      value = step.op === "+" ? union(value, right) : step.op === "-" ? difference(value, right) : intersection(value, right);
    }
    return value;
  }

  private setTerm(expr: SetExpr, depth: number): DatedSet {
    switch (expr.kind) {
      case "SetLiteral":
        return this.setLiteral(expr);
      case "AllCountries":
        return this.all();
      case "GroupRef": {
        const info = this.resolve(expr.name, ["group"], "a group");
        return info && info.node.kind === "GroupDecl" ? this.groupValue(info.node, info.uri, expr.name) : EMPTY;
      }
      case "SetParen":
        return this.setValue(expr.inner, depth + 1);
      case "SetBinary":
        return this.setValue(expr, depth + 1);
      case "Missing":
        return EMPTY;
      default:
        return unreachable(expr);
    }
  }

  private setLiteral(lit: SetLiteral): DatedSet {
    const out = new SetBuilder();
    // Each member's span, for finding the one a duplicate repeats (rare: only when `out` listed the code before).
    const spans: Span[] = [];
    let previousEnd = lit.range.start + 1;
    const members = lit.members;
    for (let m = 0; m < members.length; m++) {
      const member = members[m] as SetMember;
      const code = member.country.code;
      const range = member.country.range;
      if (this.sink.indexes(this, this.uri)) this.sink.countries.add(this.uri, member.country, undefined);
      const from = member.from ? this.date(member.from) : undefined;
      const until = member.until ? this.date(member.until) : undefined;
      if (from && until && from >= until && member.until?.kind === "DateLiteral") {
        this.report("DF4002", member.until.range, `\`until\` ${until} is not after \`from\` ${from}`, {
          help: "`from` is inclusive and `until` exclusive: the member would never be in the set",
        });
      }
      const span: Span = from === undefined && until === undefined ? ALWAYS_SPAN : [from ?? BEGIN, until ?? END];
      spans.push(span);
      const memberEnd = member.range.end;
      if (!isCountryCode(code)) {
        // Anything but two capital letters is a syntax error the parser already reported.
        if (!/^[A-Z]{2}$/.test(code)) {
          previousEnd = memberEnd;
          continue;
        }
        const alias = countryAlias(code);
        const suggestion = alias ?? closest(code, COUNTRY_CODES);
        this.report("DF2002", range, `unknown country code \`${code}\``, {
          help: suggestion
            ? `did you mean \`${suggestion}\` (${countryName(suggestion) ?? suggestion})?`
            : "country codes are ISO 3166-1 alpha-2 (or `XK` for Kosovo)",
          ...(suggestion ? { fixes: [{ title: `change to \`${suggestion}\``, edits: [{ range, newText: suggestion }] }] } : {}),
        });
        previousEnd = memberEnd;
        continue;
      }
      const clash = out.listed(code) ? this.earlierMember(members, spans, m, span) : undefined;
      if (clash) {
        this.report("DF4009", range, `\`${code}\` (${countryName(code) ?? code}) is listed twice in this set`, {
          help: "remove the duplicate",
          related: [{ uri: this.uri, range: clash.range, message: `\`${code}\` is first listed here` }],
          fixes: [{ title: "remove duplicate", edits: [{ range: { start: previousEnd, end: memberEnd }, newText: "" }] }],
        });
      }
      out.add(code, span);
      previousEnd = memberEnd;
    }
    return out.done();
  }

  /** The first member before `m` that lists the same country for an overlapping span. */
  private earlierMember(members: readonly SetMember[], spans: readonly Span[], m: number, span: Span): { range: Range } | undefined {
    const code = (members[m] as SetMember).country.code;
    for (let j = 0; j < m; j++) {
      const other = members[j] as SetMember;
      const s = spans[j];
      if (other.country.code === code && s && s[0] < span[1] && span[0] < s[1]) return { range: other.country.range };
    }
    return undefined;
  }

  private setRef(expr: SetExpr): CountrySetRef {
    let inner: SetExpr = expr;
    while (inner.kind === "SetParen") inner = inner.inner;
    if (inner.kind === "GroupRef") {
      const info = this.resolve(inner.name, ["group"], "a group");
      if (info && info.node.kind === "GroupDecl") {
        const saved = this.uri;
        const members = this.groupMembership(info.node, info.uri);
        this.uri = saved;
        return {
          group: info.name,
          display: inner.name.name,
          get members() {
            return members.get();
          },
        };
      }
      return { display: inner.name.kind === "Identifier" ? inner.name.name : "", members: [] };
    }
    const members = new LazyMembers(this.setValue(expr, 0));
    const text = this.text(expr.range);
    let display: string | undefined;
    return {
      // Whitespace collapsed on first read: most sets are never displayed.
      get display() {
        display ??= text.replace(/\s+/g, " ");
        return display;
      },
      get members() {
        return members.get();
      },
    };
  }

  private checkDisjoint(decl: DisjointDecl): void {
    const groups: { id: Identifier; decl: GroupDecl; uri: string }[] = [];
    for (const id of decl.groups) {
      const info = this.resolve(id, ["group"], "a group");
      if (info && info.node.kind === "GroupDecl" && id.kind === "Identifier") groups.push({ id, decl: info.node, uri: info.uri });
    }
    this.disjoint.push({ groups: groups.map((g) => g.id.name), source: this.src(decl.range) });
    for (let j = 1; j < groups.length; j++) {
      for (let i = 0; i < j; i++) {
        const a = groups[i];
        const b = groups[j];
        if (!a || !b || a.decl === b.decl) continue;
        const saved = this.uri;
        const both = intersection(this.groupValue(a.decl, a.uri), this.groupValue(b.decl, b.uri));
        this.uri = saved;
        if (isEmpty(both)) continue;
        const shared = countries(both);
        const country = shared[0] as string;
        const span = spansOf(both, country)[0] ?? ([BEGIN, END] as Span);
        const when = this.overlapDate(span);
        const more = shared.length > 1 ? ` (and ${shared.length - 1} more: ${shared.slice(1, 6).map((c) => `\`${c}\``).join(", ")}${shared.length > 6 ? ", ..." : ""})` : "";
        this.report("DF4003", b.id.range, `\`${a.id.name}\` and \`${b.id.name}\` overlap: \`${country}\` (${countryName(country) ?? country}) is in both ${when}`, {
          help: `remove \`${country}\` from one of the groups, or date its membership with \`from\`/\`until\`${more}`,
          related: [{ uri: this.uri, range: a.id.range, message: `\`${a.id.name}\` is declared disjoint from \`${b.id.name}\` here` }],
        });
      }
    }
  }

  private overlapDate([from, until]: Span): string {
    if (from !== BEGIN) return `on ${from}`;
    if (this.effective && this.effective < until) return `on ${this.effective}`;
    if (until !== END) return `on ${previousDay(until)}`;
    return "on every date";
  }

  // -- dates and quantities ---------------------------------------------------------

  /** A valid date's text, or undefined (reporting an invalid calendar date). */
  private date(d: DateLiteral | Missing): string | undefined {
    if (d.kind !== "DateLiteral") return undefined;
    if (isValidDate(d.raw)) return d.raw;
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(d.raw);
    let help = "write dates as `YYYY-MM-DD`";
    if (m) {
      const month = Number(m[2]);
      if (month < 1 || month > 12) help = "months run from 01 to 12";
      else {
        const days = new Date(Date.UTC(Number(m[1]), month, 0)).getUTCDate();
        help = `${m[1]}-${m[2]} has ${days} days`;
      }
    }
    this.report("DF3004", d.range, `\`${d.raw}\` is not a calendar date`, { help });
    return undefined;
  }

  private number(raw: string, range: Range): Rational | undefined {
    const r = literalValue(raw);
    if (!r) this.report("DF3006", range, `\`${raw}\` is not a number Diffuse can represent`, { help: "exponents may be at most 10000" });
    return r;
  }

  private quantity(q: QuantityExpr): Value | undefined {
    const v = this.quantityInner(q);
    if (v && q.kind !== "Missing") {
      if (this.sink.indexes(this, this.uri)) this.sink.quantities.add(this.uri, q, v);
    }
    return v;
  }

  private quantityInner(q: QuantityExpr): Value | undefined {
    switch (q.kind) {
      case "Missing":
        return undefined;
      case "Quantity": {
        const n = this.number(q.value.raw, q.value.range);
        if (!n) return undefined;
        switch (q.unit) {
          case "percent":
            return { unit: "percent", value: mul(n, rational(1n, 100n)) };
          case "TPP":
          case "units":
          case "ops":
          case "count":
          case "days":
          case "months":
          case "years":
            return { unit: q.unit, value: n };
          default:
            return unreachable(q.unit);
        }
      }
      case "ItemMultiple": {
        const n = this.number(q.count.raw, q.count.range);
        const info = this.resolve(q.item, ["item"], "an item");
        if (!n || !info || info.node.kind !== "ItemDecl") return undefined;
        const item = this.itemValue(info.node, info.uri);
        return item ? { unit: "TPP", value: mul(n, item.tppPerUnit) } : undefined;
      }
      case "PercentOfCapacity": {
        const n = this.number(q.percent.value.raw, q.percent.value.range);
        return n ? { unit: "percent-of-capacity", value: mul(n, rational(1n, 100n)) } : undefined;
      }
      default:
        return unreachable(q);
    }
  }

  /** Reports a unit mismatch; `fix` may offer the unit to append to a bare number. */
  /** `help` may be a function, for a text that is only worth building when there is a problem. */
  private expectUnit(q: QuantityExpr, v: Value | undefined, allowed: readonly ValueUnit[], expected: string, help?: string | (() => string)): v is Value {
    if (!v) return false;
    if (allowed.includes(v.unit)) return true;
    const helpText = typeof help === "function" ? help() : help;
    const extra: Extra = helpText ? { help: helpText } : {};
    let fixes: FixData[] | undefined;
    const first = allowed[0];
    if (v.unit === "count" && q.kind === "Quantity" && first && first !== "count" && first !== "percent-of-capacity" && first !== "percent") {
      fixes = [{ title: `add the unit \`${first}\``, edits: [{ range: { start: q.range.end, end: q.range.end }, newText: ` ${first}` }] }];
    }
    this.report("DF3001", q.range, `expected ${expected}, found ${UNIT_TEXT[v.unit]}`, { ...extra, ...(fixes ? { fixes } : {}) });
    return false;
  }

  // -- items and models --------------------------------------------------------------

  /** `uri` is the file that declares the item. */
  private itemValue(decl: ItemDecl, uri: string): ItemModel | undefined {
    const memo = this.itemValues.get(decl);
    if (memo === "pending") {
      if (decl.name.kind === "Identifier") {
        this.report("DF2008", decl.name.range, `item \`${decl.name.name}\` is defined in terms of itself`, { help: "give its `tpp` as an amount in TPP" });
      }
      return undefined;
    }
    if (memo) return memo;
    this.itemValues.set(decl, "pending");
    const saved = this.uri;
    this.uri = uri;
    const once = new Map<string, Range>();
    let tpp: Rational | undefined;
    let density: Rational | undefined;
    let eccn: string | undefined;
    let dataCenter = true;
    let cite = citeText(decl.cite);
    for (const clause of decl.clauses) {
      switch (clause.kind) {
        case "TppClause": {
          if (this.once(once, "tpp", clause.range, "item")) break;
          const v = this.quantity(clause.value);
          if (this.expectUnit(clause.value, v, ["TPP"], "an amount in TPP", "write the TPP per unit, e.g. `tpp 15_832 TPP`")) tpp = v.value;
          break;
        }
        case "DensityClause": {
          if (this.once(once, "density", clause.range, "item")) break;
          const v = this.quantity(clause.value);
          if (this.expectUnit(clause.value, v, ["count"], "a plain number", "performance density is a plain number, e.g. `density 5.92`")) density = v.value;
          break;
        }
        case "EccnClause":
          if (!this.once(once, "eccn", clause.range, "item")) eccn = str(clause.value);
          break;
        case "DatacenterClause":
          if (!this.once(once, "datacenter", clause.range, "item")) dataCenter = clause.value;
          break;
        case "CiteClause":
          cite ??= citeText(clause.cite);
          break;
        case "NoteClause":
        case "ErrorClause":
          break;
        default:
          unreachable(clause);
      }
    }
    if (!once.has("tpp") && decl.name.kind === "Identifier") {
      this.report("DF4013", decl.name.range, `item \`${decl.name.name}\` has no \`tpp\``, { help: "add its total processing performance per unit, e.g. `tpp 15_832 TPP`" });
    }
    const model: ItemModel = { name: decl.name.kind === "Identifier" ? decl.name.name : "", tppPerUnit: tpp ?? { num: 0n, den: 1n }, dataCenter, source: this.src(decl.range) };
    put(model, "title", decl.title?.value);
    put(model, "performanceDensity", density);
    put(model, "eccn", eccn);
    put(model, "cite", cite);
    this.uri = saved;
    this.itemValues.set(decl, model);
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) this.items.set(decl.name.name, model);
    return model;
  }

  /** Reports a second clause of a kind that may appear once; returns true for the duplicate. */
  private once(seen: Map<string, Range>, key: string, range: Range, where: string): boolean {
    const first = seen.get(key);
    if (first) {
      this.report("DF4012", range, `this ${where} already has \`${key}\``, {
        help: "keep one",
        related: [{ uri: this.uri, range: first, message: `first \`${key}\`` }],
      });
      return true;
    }
    seen.set(key, range);
    return false;
  }

  private checkModel(decl: ModelDecl): void {
    const once = new Map<string, Range>();
    let ops: Rational | undefined;
    let open = false;
    let cite = citeText(decl.cite);
    for (const clause of decl.clauses) {
      switch (clause.kind) {
        case "OperationsClause": {
          if (this.once(once, "operations", clause.range, "model")) break;
          const v = this.quantity(clause.value);
          if (this.expectUnit(clause.value, v, ["ops"], "a number of operations", "write training operations with `ops`, e.g. `operations 3e26 ops`")) ops = v.value;
          break;
        }
        case "WeightsClause":
          if (!this.once(once, "weights", clause.range, "model")) open = clause.open;
          break;
        case "CiteClause":
          cite ??= citeText(clause.cite);
          break;
        case "NoteClause":
        case "ErrorClause":
          break;
        default:
          unreachable(clause);
      }
    }
    if (!once.has("operations") && decl.name.kind === "Identifier") {
      this.report("DF4013", decl.name.range, `model \`${decl.name.name}\` has no \`operations\``, { help: "add its training operations, e.g. `operations 3e26 ops`" });
    }
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) {
      const model: ModelWeightsModel = { name: decl.name.name, trainingOps: ops ?? { num: 0n, den: 1n }, openWeights: open, source: this.src(decl.range) };
      put(model, "title", decl.title?.value);
      put(model, "cite", cite);
      this.models.set(decl.name.name, model);
    }
  }

  private checkClass(decl: ClassDecl): void {
    const once = new Map<string, Range>();
    let eccn: string | undefined;
    let cite = citeText(decl.cite);
    const when: WhenModel[] = [];
    for (const clause of decl.clauses) {
      switch (clause.kind) {
        case "EccnClause":
          if (!this.once(once, "eccn", clause.range, "class")) eccn = str(clause.value);
          break;
        case "WhenClause":
          when.push(this.whenModel(clause.condition, clause.cite, clause.range, "class"));
          break;
        case "CiteClause":
          cite ??= citeText(clause.cite);
          break;
        case "NoteClause":
        case "ErrorClause":
          break;
        default:
          unreachable(clause);
      }
    }
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) {
      const model: ClassModel = { name: decl.name.name, when, source: this.src(decl.range) };
      put(model, "title", decl.title?.value);
      put(model, "eccn", eccn);
      put(model, "cite", cite);
      this.classes.push(model);
    }
  }

  // -- conditions -----------------------------------------------------------------------

  private whenModel(condition: Condition, cite: Citation | undefined, range: Range, ctx: Ctx): WhenModel {
    const model: WhenModel = { cond: this.cond(condition, ctx, 0), source: this.src(range) };
    put(model, "cite", citeText(cite));
    return model;
  }

  private wrongContext(range: Range, what: string, ctx: Ctx): void {
    if (ctx === "class") {
      this.report("DF3002", range, `\`${what}\` is a fact of the order, not of an item line, so it cannot be used in a class`, {
        help: "class conditions may use `chip`, `model`, `datacenter`, `open`, `tpp`, `density`, `operations` and `date`",
      });
    } else {
      this.report("DF3002", range, `\`${what}\` is a fact of one item line and can only be used in a class`, {
        help: "declare a class with this condition and test it with `item is CLASS`",
      });
    }
  }

  private cond(c: Condition, ctx: Ctx, depth: number): Cond {
    const source = this.src(c.range);
    if (depth > MAX_DEPTH) {
      return { kind: "const", value: false, source }; // bounded by the parser; guards hand-built trees
    }
    switch (c.kind) {
      case "Missing":
        return { kind: "const", value: false, source };
      case "ParenCondition":
        return this.cond(c.inner, ctx, depth + 1);
      case "NotCondition":
        return { kind: "not", operand: this.cond(c.operand, ctx, depth + 1), source };
      case "AndCondition":
        return { kind: "and", operands: c.operands.map((o) => this.cond(o, ctx, depth + 1)), source };
      case "OrCondition":
        return { kind: "or", operands: c.operands.map((o) => this.cond(o, ctx, depth + 1)), source };
      case "InCondition": {
        if (ctx === "class") this.wrongContext(c.subjectRange, c.subject, ctx);
        const set = this.setRef(c.set);
        const inner: Cond = { kind: "in", subject: c.subject, set, source };
        return c.negated ? { kind: "not", operand: inner, source } : inner;
      }
      case "HasCondition": {
        if (ctx === "class") this.wrongContext({ start: c.range.start, end: Math.min(c.range.end, c.range.start + 9) }, "consignee", ctx);
        const info = this.resolve(c.status, ["status"], "a status");
        const inner: Cond = { kind: "has", status: info?.name ?? (c.status.kind === "Identifier" ? c.status.name : ""), source };
        return c.negated ? { kind: "not", operand: inner, source } : inner;
      }
      case "IsCondition": {
        if (ctx === "class") this.wrongContext({ start: c.range.start, end: Math.min(c.range.end, c.range.start + 4) }, "item is", ctx);
        const info = this.resolve(c.itemClass, ["class"], "a class");
        const inner: Cond = { kind: "is", itemClass: info?.name ?? (c.itemClass.kind === "Identifier" ? c.itemClass.name : ""), source };
        return c.negated ? { kind: "not", operand: inner, source } : inner;
      }
      case "WithinCondition": {
        const kw = { start: c.range.start, end: Math.min(c.range.end, c.range.start + 6) };
        if (ctx === "class") this.wrongContext(kw, "within", ctx);
        const info = this.resolve(c.cap, ["cap"], "a cap");
        return { kind: "within", cap: info?.name ?? (c.cap.kind === "Identifier" ? c.cap.name : ""), source };
      }
      case "CompareCondition": {
        const classOnly = CLASS_MEASURES.has(c.measure);
        if (classOnly !== (ctx === "class")) this.wrongContext(c.measureRange, c.measure, ctx);
        const want = MEASURE_UNIT[c.measure];
        const v = this.quantity(c.value);
        const ok = this.expectUnit(c.value, v, [want], UNIT_TEXT[want], () => `\`${c.measure}\` compares with ${MEASURE_EXAMPLE[c.measure]}`);
        const value: ExactQuantity = ok && v.unit === want ? { unit: want, value: v.value } : { unit: want, value: { num: 0n, den: 1n } };
        return { kind: "compare", measure: c.measure, op: c.op, value, source };
      }
      case "DateCondition":
        return { kind: "date", op: c.op, value: this.date(c.value) ?? "", source };
      case "FlagCondition": {
        if (c.flag === "true" || c.flag === "false") return { kind: "const", value: c.flag === "true", source };
        if (ctx !== "class") this.wrongContext(c.range, c.flag, ctx);
        return { kind: "flag", flag: c.flag, source };
      }
      default:
        return unreachable(c);
    }
  }

  // -- caps ---------------------------------------------------------------------------

  private checkCap(decl: CapDecl): void {
    const once = new Map<string, Range>();
    let limitClause: { value: QuantityExpr; range: Range } | undefined;
    let limit: CapLimit | undefined;
    let measure: "TPP" | "units" = "TPP";
    let key: readonly ("destination" | "headquarters" | "consignee" | "exporter" | "global")[] = [];
    let perRange: Range | undefined;
    let window: CapWindow | undefined;
    let windowRange: Range | undefined;
    let schedule: ScheduleStepModel[] | undefined;
    let scheduleRange: Range | undefined;
    const modifiers: CapModifier[] = [];
    const when: WhenModel[] = [];
    let cite = citeText(decl.cite);
    for (const clause of decl.clauses) {
      switch (clause.kind) {
        case "LimitClause": {
          if (this.once(once, "limit", clause.range, "cap")) break;
          limitClause = clause;
          const v = this.quantity(clause.value);
          if (
            this.expectUnit(
              clause.value,
              v,
              ["TPP", "units", "percent-of-capacity"],
              "an amount in TPP, a number of units or a share of capacity",
              v?.unit === "percent" ? "write a share of the consignee's capacity as `7 % of capacity`" : "e.g. `limit 26_900_000 TPP`, `limit 1_000 units` or `limit 7 % of capacity`",
            )
          ) {
            if (v.unit === "percent-of-capacity") limit = { kind: "percent-of-capacity", percent: v.value };
            else if (v.unit === "TPP" || v.unit === "units") {
              limit = { kind: "absolute", value: { unit: v.unit, value: v.value } };
              measure = v.unit;
            }
          }
          break;
        }
        case "PerClause":
          if (this.once(once, "per", clause.range, "cap")) break;
          perRange = clause.range;
          if (clause.key.kind === "CapKey") key = this.checkKey(clause.key);
          break;
        case "WindowClause":
          if (this.once(once, "window", clause.range, "cap")) break;
          windowRange = clause.range;
          window = this.window(clause.window);
          break;
        case "ScheduleClause": {
          if (this.once(once, "schedule", clause.range, "cap")) break;
          scheduleRange = clause.range;
          schedule = this.schedule(clause.steps, clause.range);
          break;
        }
        case "TimesClause": {
          const v = this.quantity(clause.factor);
          let factor: Rational = { num: 1n, den: 1n };
          if (v) {
            if (v.unit !== "count" || v.value.num <= 0n) {
              this.report("DF3003", clause.factor.range, `the factor of \`times\` must be a plain positive number, found ${v.unit === "count" ? `\`${formatRational(v.value)}\`` : UNIT_TEXT[v.unit]}`, {
                help: "e.g. `times 2 when destination in g2g` doubles the limit",
              });
            } else factor = v.value;
          }
          const modifier: CapModifier = { factor, when: this.cond(clause.condition, "rule", 0), source: this.src(clause.range) };
          put(modifier, "cite", citeText(clause.cite));
          modifiers.push(modifier);
          break;
        }
        case "WhenClause":
          when.push(this.whenModel(clause.condition, clause.cite, clause.range, "rule"));
          break;
        case "CiteClause":
          cite ??= citeText(clause.cite);
          break;
        case "NoteClause":
        case "ErrorClause":
          break;
        default:
          unreachable(clause);
      }
    }
    const name = decl.name.kind === "Identifier" ? decl.name.name : "";
    const at = decl.name.kind === "Identifier" ? decl.name.range : { start: decl.range.start, end: Math.min(decl.range.end, decl.range.start + 3) };
    if (scheduleRange) {
      if (limitClause) {
        this.report("DF4007", limitClause.range, "a cap with a `schedule` cannot also have a `limit`", {
          help: "the schedule's steps carry the limits: remove this `limit`",
          related: [{ uri: this.uri, range: scheduleRange, message: "the schedule" }],
        });
      }
      if (windowRange) {
        this.report("DF4007", windowRange, "a cap with a `schedule` cannot also have a `window`", {
          help: "a schedule counts cumulatively from the start: remove this `window`",
          related: [{ uri: this.uri, range: scheduleRange, message: "the schedule" }],
        });
      }
    } else {
      if (!once.has("limit")) {
        this.report("DF4006", at, `cap \`${name}\` has no \`limit\``, { help: "add `limit N TPP` (or units, or `N % of capacity`), or a `schedule` of limits" });
      }
      if (!once.has("window")) {
        // Quick fix (used by the language server): a `window` line after the cap's last clause.
        const lastClause = decl.clauses[decl.clauses.length - 1];
        this.report("DF4005", at, `cap \`${name}\` has no \`window\``, {
          help: "add `window calendar year`, `window DATE .. DATE`, `window rolling N days` or `window all time`, or use a `schedule`",
          ...(lastClause
            ? { fixes: [{ title: "add `window calendar year`", edits: [{ range: { start: lastClause.range.end, end: lastClause.range.end }, newText: this.clauseAfter(decl.range.start, lastClause.range.end, "window calendar year") }] }] }
            : {}),
        });
      }
    }
    if (!once.has("per")) {
      this.report("DF4004", at, `cap \`${name}\` has no key`, { help: "add `per destination`, `per headquarters`, `per consignee`, `per consignee x destination`, `per exporter` or `per global`" });
    }
    if (limit?.kind === "percent-of-capacity" && once.has("per") && !key.includes("consignee")) {
      this.report("DF4011", perRange ?? at, "a percent-of-capacity cap must be counted per consignee", {
        help: "capacity belongs to a consignee: use `per consignee` or `per consignee x destination`",
      });
    }
    let finalLimit: CapLimit = limit ?? { kind: "absolute", value: { unit: measure, value: { num: 0n, den: 1n } } };
    let finalWindow: CapWindow = window ?? { kind: "all-time" };
    if (schedule) {
      finalLimit = { kind: "schedule" };
      finalWindow = { kind: "schedule", steps: schedule };
      const firstStep = schedule[0];
      if (firstStep) measure = firstStep.limit.unit === "units" ? "units" : "TPP";
    }
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) {
      const cap: CapModel = { name, measure, limit: finalLimit, key, window: finalWindow, modifiers, when, source: this.src(decl.range) };
      put(cap, "title", decl.title?.value);
      put(cap, "cite", cite);
      this.caps.set(name, cap);
    }
  }

  private checkKey(key: CapKey): readonly ("destination" | "headquarters" | "consignee" | "exporter" | "global")[] {
    const parts: ("destination" | "headquarters" | "consignee" | "exporter" | "global")[] = [];
    for (const p of key.parts) {
      if (parts.includes(p.part)) {
        this.report("DF4015", p.range, `\`${p.part}\` appears twice in this key`, { help: "list each part of a key once" });
        continue;
      }
      parts.push(p.part);
    }
    if (parts.includes("global") && parts.length > 1) {
      const g = key.parts.find((p) => p.part === "global");
      this.report("DF4015", g?.range ?? key.range, "`global` cannot be combined with other key parts", { help: "`per global` is one total for everyone; remove `global` or the other parts" });
      return parts.filter((p) => p !== "global");
    }
    return parts;
  }

  private window(w: Window): CapWindow | undefined {
    switch (w.kind) {
      case "Missing":
        return undefined;
      case "CalendarYearWindow":
        return { kind: "calendar-year" };
      case "AllTimeWindow":
        return { kind: "all-time" };
      case "FixedWindow": {
        const from = this.date(w.from);
        const to = this.date(w.to);
        if (from && to && from > to && w.to.kind === "DateLiteral") {
          this.report("DF4002", w.to.range, `the window ends on ${to}, before it starts on ${from}`, { help: "write the window as `START .. END` (both inclusive)" });
        }
        return from && to ? { kind: "fixed", from, to } : undefined;
      }
      case "RollingWindow": {
        if (w.length.kind === "Missing") return undefined;
        const v = this.quantity(w.length);
        if (!v) return undefined;
        if (v.unit !== "days" && v.unit !== "months" && v.unit !== "years") {
          this.report("DF3001", w.length.range, `expected a period in days, months or years, found ${UNIT_TEXT[v.unit]}`, { help: "e.g. `window rolling 365 days`" });
          return undefined;
        }
        if (!isInteger(v.value) || v.value.num <= 0n || v.value.num > 1_000_000n) {
          this.report("DF3005", w.length.range, `a rolling window must be a positive whole number of ${v.unit}, found \`${formatRational(v.value)}\``, {
            help: "e.g. `window rolling 12 months`",
          });
          return undefined;
        }
        return { kind: "rolling", length: Number(v.value.num), unit: v.unit };
      }
      default:
        return unreachable(w);
    }
  }

  private schedule(steps: readonly ScheduleStep[], range: Range): ScheduleStepModel[] {
    const out: ScheduleStepModel[] = [];
    let previous: { date: string; range: Range } | undefined;
    let unit: "TPP" | "units" | undefined;
    if (steps.length === 0) {
      this.report("DF4006", range, "this schedule has no steps", { help: "add steps such as `through 2025-12-31 limit 100_000 x H100`" });
    }
    for (const step of steps) {
      const date = this.date(step.through);
      if (date && previous && date <= previous.date && step.through.kind === "DateLiteral") {
        this.report("DF4002", step.through.range, `schedule step \`through ${date}\` is not after the previous step \`through ${previous.date}\``, {
          help: "list schedule steps in increasing date order",
          related: [{ uri: this.uri, range: previous.range, message: "previous step" }],
        });
      }
      if (date && step.through.kind === "DateLiteral") previous = { date, range: step.through.range };
      const v = this.quantity(step.limit);
      if (!this.expectUnit(step.limit, v, unit ? [unit] : ["TPP", "units"], unit ? (unit === "TPP" ? "an amount in TPP like the first step" : "a number of units like the first step") : "an amount in TPP or a number of units")) continue;
      if (v.unit !== "TPP" && v.unit !== "units") continue;
      unit ??= v.unit;
      if (date) {
        const model: ScheduleStepModel = { through: date, limit: { unit: v.unit, value: v.value }, source: this.src(step.range) };
        put(model, "cite", citeText(step.cite));
        out.push(model);
      }
    }
    return out;
  }

  // -- exceptions and statuses ------------------------------------------------------------

  private checkAuthorization(decl: ExceptionDecl | StatusDecl): void {
    const when: WhenModel[] = [];
    const within: string[] = [];
    const countsToward: string[] = [];
    let nothing = false;
    let said = false;
    const requires: { text: string; cite?: string; source: SourceRef }[] = [];
    let cite = citeText(decl.cite);
    for (const clause of decl.clauses as readonly AuthorizationClause[]) {
      switch (clause.kind) {
        case "WhenClause":
          when.push(this.whenModel(clause.condition, clause.cite, clause.range, "rule"));
          break;
        case "WithinClause":
          for (const id of clause.caps) {
            const info = this.resolve(id, ["cap"], "a cap");
            if (info) within.push(info.name);
          }
          break;
        case "CountsTowardClause":
          said = true;
          if (clause.nothing) nothing = true;
          for (const id of clause.caps) {
            const info = this.resolve(id, ["cap"], "a cap");
            if (info) countsToward.push(info.name);
          }
          break;
        case "RequiresClause": {
          const text = str(clause.text);
          if (text !== undefined) {
            const requirement: (typeof requires)[number] = { text, source: this.src(clause.range) };
            put(requirement, "cite", citeText(clause.cite));
            requires.push(requirement);
          }
          break;
        }
        case "CiteClause":
          cite ??= citeText(clause.cite);
          break;
        case "NoteClause":
        case "ErrorClause":
          break;
        default:
          unreachable(clause);
      }
    }
    const kind = decl.kind === "ExceptionDecl" ? "exception" : "status";
    if (!said && decl.name.kind === "Identifier") {
      this.report("DF4010", decl.name.range, `${kind} \`${decl.name.name}\` does not say which caps it counts toward`, {
        help: "add `counts toward CAP, ...` or `counts toward nothing`",
      });
    }
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) {
      const model: AuthorizationModel = {
        kind,
        name: decl.name.name,
        when,
        within,
        countsToward: nothing ? [] : countsToward,
        countsTowardNothing: nothing && countsToward.length === 0,
        requires,
        source: this.src(decl.range),
      };
      put(model, "title", decl.title?.value);
      put(model, "cite", cite);
      this.authorizations.set(decl.name.name, model);
    }
  }

  // -- decide -------------------------------------------------------------------------------

  private alwaysTrue(c: Condition | undefined): boolean {
    if (c === undefined) return true;
    let inner: Condition = c;
    while (inner.kind === "ParenCondition") inner = inner.inner;
    return inner.kind === "FlagCondition" && inner.flag === "true";
  }

  private checkDecide(decl: DecideDecl): void {
    const classes: string[] = [];
    for (const id of decl.classes) {
      const info = this.resolve(id, ["class"], "a class");
      if (info) classes.push(info.name);
    }
    const rules: RuleModel[] = [];
    const notes: string[] = [];
    let cite = citeText(decl.cite);
    let shadow: { range: Range; what: string } | undefined;
    for (const rule of decl.rules as readonly Rule[]) {
      if (rule.kind === "ProhibitRule" || rule.kind === "AuthorizeRule" || rule.kind === "LicenseRule") {
        if (shadow) {
          this.report("DF4008", rule.range, "this rule can never apply", {
            help: `an earlier \`${shadow.what}\` rule without a condition always decides first; move this rule above it or remove it`,
            related: [{ uri: this.uri, range: shadow.range, message: "this rule always applies first" }],
          });
        }
      }
      switch (rule.kind) {
        case "ProhibitRule": {
          const model: RuleModel & { kind: "prohibit" } = { kind: "prohibit", source: this.src(rule.range) };
          put(model, "when", rule.condition && this.cond(rule.condition, "rule", 0));
          put(model, "cite", citeText(rule.cite));
          rules.push(model);
          if (!shadow && this.alwaysTrue(rule.condition)) shadow = { range: rule.range, what: "prohibit" };
          break;
        }
        case "AuthorizeRule": {
          let basis = rule.basis.kind === "Identifier" ? rule.basis.name : "";
          if (rule.basis.kind === "Identifier" && rule.basis.name === "NLR" && !this.names.has("NLR")) {
            this.reference(rule.basis, undefined);
          } else {
            const info = this.resolve(rule.basis, ["exception", "status"], "an exception or status");
            if (info) basis = info.name;
          }
          const model: RuleModel & { kind: "authorize" } = { kind: "authorize", basis, source: this.src(rule.range) };
          put(model, "when", rule.condition && this.cond(rule.condition, "rule", 0));
          put(model, "cite", citeText(rule.cite));
          rules.push(model);
          break;
        }
        case "LicenseRule": {
          const charging: string[] = [];
          for (const id of rule.charging) {
            const info = this.resolve(id, ["cap"], "a cap");
            if (info) charging.push(info.name);
          }
          const whenCond = rule.condition && this.cond(rule.condition, "rule", 0);
          const reviews: ReviewCaseModel[] = [];
          let otherwise: Range | undefined;
          for (const rc of rule.reviews) {
            if (otherwise) {
              this.report("DF4008", rc.range, "this review case can never apply", {
                help: "`otherwise` always matches; move this case above it or remove it",
                related: [{ uri: this.uri, range: otherwise, message: "this case always applies first" }],
              });
            }
            const condModel = rc.condition && this.cond(rc.condition, "rule", 0);
            if (!otherwise && this.alwaysTrue(rc.condition)) otherwise = rc.range;
            if (rc.review.kind === "Review") {
              const model: ReviewCaseModel = { review: rc.review.policy, source: this.src(rc.range) };
              put(model, "when", condModel);
              put(model, "cite", citeText(rc.cite));
              reviews.push(model);
            }
          }
          const model: RuleModel & { kind: "license" } = { kind: "license", charging, reviews, source: this.src(rule.range) };
          put(model, "when", whenCond);
          put(model, "cite", citeText(rule.cite));
          rules.push(model);
          if (!shadow && this.alwaysTrue(rule.condition) && otherwise) shadow = { range: rule.range, what: "license" };
          break;
        }
        case "NoteClause": {
          const t = str(rule.text);
          if (t !== undefined) notes.push(t);
          break;
        }
        case "CiteClause":
          cite ??= citeText(rule.cite);
          break;
        case "ErrorClause":
          break;
        default:
          unreachable(rule);
      }
    }
    if (decl.name.kind === "Identifier" && this.isPrimary(decl)) {
      const model: DecideModel = { name: decl.name.name, classes, rules, notes, source: this.src(decl.range) };
      put(model, "title", decl.title?.value);
      put(model, "cite", cite);
      this.decisions.push(model);
    }
  }
}

/** A sorted copy; one linear pass when the items are already in order (declarations usually are). */
function sortedCopy<T>(items: readonly T[], compare: (a: T, b: T) => number): T[] {
  let sorted = true;
  for (let i = 1; i < items.length && sorted; i++) sorted = compare(items[i - 1] as T, items[i] as T) <= 0;
  return sorted ? [...items] : [...items].sort(compare);
}

/**
 * Files of one policy: the root then its transitive imports (not `use`), depth first;
 * and the same files with every import before its importer (the order names are declared in).
 */
function policyFiles(program: Program, root: string): { files: ParsedFile[]; dependenciesFirst: ParsedFile[] } {
  const files: ParsedFile[] = [];
  const dependenciesFirst: ParsedFile[] = [];
  const seen = new Set<string>();
  const visit = (uri: string): void => {
    if (seen.has(uri)) return;
    seen.add(uri);
    const file = program.files.get(uri);
    if (!file) return;
    files.push(file);
    for (const edge of program.edges) if (edge.from === uri && edge.kind === "import" && edge.found) visit(edge.target);
    dependenciesFirst.push(file);
  };
  visit(root);
  return { files, dependenciesFirst };
}

function emptyModel(uri: string, sources: readonly ParsedFile[]): PolicyModel {
  return {
    uri,
    groups: new Map(),
    disjoint: [],
    items: new Map(),
    models: new Map(),
    classes: [],
    caps: new Map(),
    authorizations: new Map(),
    decisions: [],
    sources: sources.map((f) => ({ uri: f.uri, text: f.text })),
  };
}

function hasHeader(file: ParsedFile): boolean {
  return file.ast.declarations.some((d) => d.kind === "PolicyDecl");
}

function buildResolved(declarations: readonly DeclarationInfo[], references: readonly ReferenceInfo[]): Map<Identifier, DeclarationInfo> {
  const out = new Map<Identifier, DeclarationInfo>();
  for (const d of declarations) {
    const node = d.node;
    if ("name" in node && node.name.kind === "Identifier") out.set(node.name, d);
  }
  for (const r of references) if (r.declaration) out.set(r.node, r.declaration);
  return out;
}

/** Checks a loaded program: the entry policy (or each version of a policy set). */
export function check(program: Program): CheckResult {
  const sink = new Sink();
  for (const file of program.files.values()) for (const d of file.diagnostics) sink.add(d);
  for (const d of program.diagnostics) sink.add(d);
  const imports: ImportLink[] = program.edges.map((e) => ({ uri: e.from, range: e.node.path.range, target: e.target, found: e.found }));

  // An imported file's own header is ignored: say so.
  for (const edge of program.edges) {
    const target = program.files.get(edge.target);
    if (edge.kind === "import" && target && hasHeader(target)) {
      sink.add({
        code: "DF2009",
        severity: CODES.DF2009.severity,
        message: `\`${displayName(edge.target)}\` has its own policy header, which is ignored here`,
        uri: edge.from,
        range: edge.node.path.range,
        help: "import libraries (catalogs, country lists) without a header; list policy versions with `use` in a `policyset`",
      });
    }
  }

  const entry = program.files.get(program.entry);
  const setDecl = entry?.ast.declarations.find((d): d is PolicySetDecl => d.kind === "PolicySetDecl");
  let model: PolicyModel;
  let policySet: PolicySetModel | undefined;
  if (entry && setDecl) {
    const versions: PolicyModel[] = [];
    const rootChecker = new PolicyChecker(sink, [entry], [entry]);
    model = rootChecker.run();
    for (const edge of program.edges) {
      if (edge.from !== entry.uri || edge.kind !== "use" || !edge.found) continue;
      const target = program.files.get(edge.target);
      if (!target) continue;
      if (!hasHeader(target) || target.uri === entry.uri) {
        sink.add({
          code: "DF2007",
          severity: CODES.DF2007.severity,
          message: `\`${displayName(edge.target)}\` has no policy header`,
          uri: edge.from,
          range: edge.node.path.range,
          help: "a policy set lists policy versions: add a `policy` header to that file, or `import` it from a policy instead",
        });
        continue;
      }
      const { files, dependenciesFirst } = policyFiles(program, edge.target);
      versions.push(new PolicyChecker(sink, files, dependenciesFirst).run());
    }
    policySet = { title: str(setDecl.title) ?? "", ...opt("cite", citeText(setDecl.cite)), versions, source: { uri: entry.uri, range: setDecl.range } };
  } else if (entry) {
    const { files, dependenciesFirst } = policyFiles(program, entry.uri);
    model = new PolicyChecker(sink, files, dependenciesFirst).run();
  } else {
    model = emptyModel(program.entry, []);
  }

  // Files loaded but outside every checked policy (e.g. a policy set's imports) still get diagnostics.
  const order = [...program.files.keys()];
  const rank = new Map(order.map((u, i) => [u, i]));
  const diagnostics = sortedCopy(
    sink.diagnostics,
    (a, b) => (rank.get(a.uri) ?? order.length) - (rank.get(b.uri) ?? order.length) || a.range.start - b.range.start || a.range.end - b.range.end || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
  const declarations = sortedCopy(sink.declarations, (a, b) => (rank.get(a.uri) ?? 0) - (rank.get(b.uri) ?? 0) || a.range.start - b.range.start);
  let resolved: Map<Identifier, DeclarationInfo> | undefined;
  let quantities: Map<QuantityExpr, QuantityInfo> | undefined;
  let references: ReferenceInfo[] | undefined;
  let countries: CountryReference[] | undefined;
  // Every table is built on first use: a command-line check never needs them.
  const index: SymbolIndex = {
    declarations,
    get references(): readonly ReferenceInfo[] {
      references ??= sink.references.map((uri, node, declaration) =>
        declaration ? { uri, range: node.range, name: node.name, node, declaration } : { uri, range: node.range, name: node.name, node },
      );
      return references;
    },
    get countries(): readonly CountryReference[] {
      countries ??= sink.countries.map((uri, node) => {
        const name = countryName(node.code);
        return name === undefined ? { uri, range: node.range, code: node.code } : { uri, range: node.range, code: node.code, name };
      });
      return countries;
    },
    imports,
    get resolved(): ReadonlyMap<Identifier, DeclarationInfo> {
      resolved ??= buildResolved(declarations, index.references);
      return resolved;
    },
    get quantities(): ReadonlyMap<QuantityExpr, QuantityInfo> {
      quantities ??= new Map(sink.quantities.map((uri, node, value) => [node, { uri, range: node.range, value }] as const));
      return quantities;
    },
  };
  return { model, diagnostics, index, ...opt("policySet", policySet), program };
}
