/**
 * CatalogRules, a layer of the parser's class chain (see ../parser.ts): the catalog
 * declarations: `item` (tpp, density, eccn, datacenter), `model` (operations, weights)
 * and `class` (eccn, when).
 */
import type { IRecognitionException } from "chevrotain";
import type { ClassClause, ClassDecl, ItemClause, ItemDecl, ModelClause, ModelDecl, Range } from "../../ast.js";
import * as T from "../tokens.js";
import { PolicyRules } from "./policy.js";
import { CLASS_BLOCK, ITEM_BLOCK, MODEL_BLOCK } from "./recovery.js";
import { EXPECT, OPEN } from "./args.js";

export abstract class CatalogRules extends PolicyRules {
  readonly itemDecl = this.RULE("itemDecl", (): ItemDecl => {
    const kw = this.consume(0, T.Item);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, EXPECT.itemName);
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.item);
    const clauses: ItemClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.itemClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(ITEM_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the item");
    return { kind: "ItemDecl", name: h.name, title: h.title, cite: h.cite, clauses, range: this.span(start) };
  });

  readonly itemClause = this.RULE(
    "itemClause",
    (): ItemClause => {
      const clause = this.or<ItemClause>(
        0,
        this.cached<ItemClause>(9, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Tpp));
              return {
                kind: "TppClause",
                value: this.sub(0, this.quantity, EXPECT.tppPerUnit),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Density));
              return {
                kind: "DensityClause",
                value: this.sub(1, this.quantity, EXPECT.density),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Eccn));
              return {
                kind: "EccnClause",
                value: this.leaf(0, this.string, this.stringBody, EXPECT.eccn),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Datacenter));
              const v = this.sub(0, this.yesNo);
              return {
                kind: "DatacenterClause",
                value: v.value,
                valueRange: v.range,
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      return this.clauseCite(clause, false);
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly yesNo = this.RULE("yesNo", (): { value: boolean; range: Range } =>
    this.or(
      0,
      this.cached(30, () => [
        {
          ALT: () => ({
            value: true,
            range: this.tokenRange(this.consume(0, T.Yes)),
          }),
        },
        {
          ALT: () => ({
            value: false,
            range: this.tokenRange(this.consume(0, T.No)),
          }),
        },
        {
          ALT: () => ({
            value: true,
            range: this.missing("`yes` or `no`").range,
          }),
        },
      ]),
    ),
  );

  readonly modelDecl = this.RULE("modelDecl", (): ModelDecl => {
    const kw = this.consume(0, T.Model);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, EXPECT.modelName);
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.model);
    const clauses: ModelClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.modelClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(MODEL_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the model");
    return { kind: "ModelDecl", name: h.name, title: h.title, cite: h.cite, clauses, range: this.span(start) };
  });

  readonly modelClause = this.RULE(
    "modelClause",
    (): ModelClause => {
      const clause = this.or<ModelClause>(
        0,
        this.cached<ModelClause>(10, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Operations));
              return {
                kind: "OperationsClause",
                value: this.sub(0, this.quantity, EXPECT.trainingOps),
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Weights));
              const v = this.or(
                1,
                this.cached(34, () => [
                  {
                    ALT: () => ({
                      open: true,
                      range: this.tokenRange(this.consume(0, T.Open)),
                    }),
                  },
                  {
                    ALT: () => ({
                      open: false,
                      range: this.tokenRange(this.consume(0, T.Closed)),
                    }),
                  },
                  {
                    ALT: () => ({
                      open: false,
                      range: this.missing("`open` or `closed`").range,
                    }),
                  },
                ]),
              );
              return {
                kind: "WeightsClause",
                open: v.open,
                valueRange: v.range,
                cite: undefined,
                range: this.span(s),
              };
            },
          },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      );
      return this.clauseCite(clause, false);
    },
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );

  readonly classDecl = this.RULE("classDecl", (): ClassDecl => {
    const kw = this.consume(0, T.Class);
    const start = this.startOf(kw);
    const h = this.sub(0, this.header, EXPECT.className);
    const open = this.leaf(0, this.openBrace, this.openBraceBody, OPEN.class);
    const clauses: ClassClause[] = [];
    for (;;) {
      this.many(0, () => {
        clauses.push(this.sub(0, this.classClause));
      });
      if (this.RECORDING_PHASE || !this.skipUnexpected(CLASS_BLOCK, true)) break;
    }
    this.expectClose(100, open ?? kw, "the class");
    return { kind: "ClassDecl", name: h.name, title: h.title, cite: h.cite, clauses, range: this.span(start) };
  });

  readonly classClause = this.RULE(
    "classClause",
    (): ClassClause =>
      this.or<ClassClause>(
        0,
        this.cached<ClassClause>(11, () => [
          {
            ALT: () => {
              const s = this.startOf(this.consume(0, T.Eccn));
              const value = this.leaf(0, this.string, this.stringBody, EXPECT.eccn);
              const cite = this.optionalCite();
              return { kind: "EccnClause", value, cite, range: this.span(s) };
            },
          },
          { ALT: () => this.sub(0, this.when) },
          { ALT: () => this.sub(0, this.citeClause) },
          { ALT: () => this.sub(0, this.note) },
        ]),
      ),
    { recoveryValueFunc: (e: IRecognitionException) => this.errorClause(e) },
  );
}
