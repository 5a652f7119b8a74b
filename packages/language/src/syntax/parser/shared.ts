/**
 * SharedRules, the second layer of the parser's class chain (see ../parser.ts): the small
 * rules every later layer uses (names, strings, dates, `cite` and `note`, name lists, a
 * declaration's `NAME [STRING] [cite]` header and a block's `{`) and the optional
 * trailing `cite` helper.
 */
import type { IToken } from "chevrotain";
import type { Citation, DateLiteral, Identifier, Missing, NoteClause, Range, StringLiteral } from "../../ast.js";
import * as T from "../tokens.js";
import { ParserBase } from "./base.js";
import { type BlockContext, dateHelp, quoteHelp } from "./recovery.js";
import { EXPECT } from "./args.js";

export abstract class SharedRules extends ParserBase {
  /** A name where one is required. */
  readonly name = this.RULE("name", (expected: string) => this.nameBody(expected), { recoveryValueFunc: this.missingValue("a name") });

  /** A reference to a declaration: a keyword here is reported, never taken as the name. */
  protected nameBody(expected: string): Identifier | Missing {
    const tok = this.optToken(0, 0, T.Identifier);
    return tok ? this.identifier(tok) : (this.quotedName() ?? this.missingLiteral(expected, false));
  }

  /**
   * The body of `name` for the name a declaration introduces: as `nameBody`, except that a
   * keyword written there (`cap calendar {`) is taken as the name once reported (see
   * `keywordAsName`), so the declaration and its references still resolve.
   */
  protected declarationNameBody(expected: string): Identifier | Missing {
    const tok = this.optToken(0, 0, T.Identifier);
    if (tok) return this.identifier(tok);
    return this.keywordAsName(expected) ?? this.quotedName() ?? this.missingLiteral(expected, false);
  }

  readonly string = this.RULE("string", (expected: string) => this.stringBody(expected), { recoveryValueFunc: this.missingValue("a string") });

  protected stringBody(expected: string): StringLiteral | Missing {
    const tok = this.optToken(0, 0, T.StringLiteral);
    return tok ? this.stringLiteral(tok) : this.missingLiteral(expected, true, quoteHelp);
  }

  readonly date = this.RULE("date", (expected: string) => this.dateBody(expected), { recoveryValueFunc: this.missingValue("a date") });

  protected dateBody(expected: string): DateLiteral | Missing {
    const tok = this.optToken(0, 0, T.DateLiteral);
    return tok ? this.dateLiteral(tok) : this.missingLiteral(expected, true, dateHelp);
  }

  readonly cite = this.RULE("cite", (): Citation => {
    const kw = this.consume(0, T.Cite);
    const start = this.startOf(kw);
    const text = this.leaf(0, this.string, this.stringBody, EXPECT.citation);
    return { kind: "Citation", text, range: this.span(start) };
  });

  /** `NAME { "," NAME }` */
  readonly nameList = this.RULE("nameList", (expected: string): (Identifier | Missing)[] => {
    const intro = this.LA(0);
    const names: (Identifier | Missing)[] = [this.leaf(0, this.name, this.nameBody, { ARGS: [expected] })];
    const after = this.LA(1).tokenType;
    if (!this.RECORDING_PHASE && after !== T.Comma && after !== T.And && after !== T.Identifier) return names;
    for (;;) {
      this.many(0, () => {
        this.consume(0, T.Comma);
        names.push(this.leaf(1, this.name, this.nameBody, { ARGS: [expected] }));
      });
      // `within a and b`, `for a b`: read b as the next name (see `andForComma`, `missingComma`).
      if (this.RECORDING_PHASE || !(this.andForComma(intro) || this.missingComma(intro))) break;
      names.push(this.leaf(1, this.name, this.nameBody, { ARGS: [expected] }));
    }
    return names;
  });

  readonly note = this.RULE("note", (): NoteClause => {
    const kw = this.consume(0, T.Note);
    const start = this.startOf(kw);
    const text = this.leaf(0, this.string, this.stringBody, EXPECT.noteText);
    const cite = this.optionalCite();
    return { kind: "NoteClause", text, cite, range: this.span(start) };
  });

  /** An optional trailing `cite "..."` (the same shortcut as `optToken`: the rule starts with `cite`). */
  protected optionalCite(): Citation | undefined {
    if (this.RECORDING_PHASE) return this.option(200, () => this.sub(50, this.cite));
    return this.LA(1).tokenType === T.Cite ? this.sub(50, this.cite) : undefined;
  }

  /**
   * A block clause with the `cite "..."` that may follow it, except the clauses that take
   * none there: `cite` and `note` clauses, error clauses, and (`withOwnCite`) `when`
   * clauses, whose rule reads their citation itself.
   */
  protected clauseCite<C extends { readonly kind: string; readonly range: Range; cite?: Citation | undefined }>(clause: C, withOwnCite: boolean): C {
    const kind = clause.kind;
    if (kind === "CiteClause" || kind === "NoteClause" || kind === "ErrorClause" || (withOwnCite && kind === "WhenClause")) return clause;
    return this.withCite(clause, this.optionalCite());
  }

  readonly citeClause = this.RULE("citeClause", () => {
    const cite = this.sub(0, this.cite);
    return { kind: "CiteClause" as const, cite, range: cite.range };
  });

  /**
   * The `{` that opens a block of kind `ctx`; returns it when present. When it is missing,
   * `missingOpenBrace` reports it (and may still find it after stray tokens on the line).
   */
  readonly openBrace = this.RULE("openBrace", (ctx: BlockContext) => this.openBraceBody(ctx));

  protected openBraceBody(ctx: BlockContext): IToken | undefined {
    const open = this.optToken(0, 0, T.LBrace);
    if (open !== undefined || this.RECORDING_PHASE) return open;
    return this.missingOpenBrace(ctx);
  }

  /** `NAME [STRING] [cite]` after a declaration keyword. */
  readonly header = this.RULE("header", (expected: string) => {
    const name = this.leaf(0, this.name, this.declarationNameBody, { ARGS: [expected] });
    const title = this.optionalString(220);
    const cite = this.optionalCite();
    return { name, title: this.titleAfterCite(name, title, cite), cite };
  });
}
