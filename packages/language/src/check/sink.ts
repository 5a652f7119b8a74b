/**
 * What a check records across the policies it checks: diagnostics (each once), the
 * declaration infos (shared by the policies that include a file), and the index entries
 * (references, country codes, quantities), recorded flat and turned into objects by
 * `check` on first use.
 */
import type { CountryCode, Identifier, QuantityExpr } from "../ast.js";
import type { Diagnostic } from "../diagnostic.js";
import type { DeclarationInfo } from "./symbols.js";
import type { Value } from "./util.js";

/** Index entries of one kind as parallel arrays: the file, the node, and what was found for it. */
class Recorded<N, V> {
  private readonly uris: string[] = [];
  private readonly nodes: N[] = [];
  private readonly values: V[] = [];

  add(uri: string, node: N, value: V): void {
    this.uris.push(uri);
    this.nodes.push(node);
    this.values.push(value);
  }

  map<T>(make: (uri: string, node: N, value: V) => T): T[] {
    const out: T[] = new Array<T>(this.nodes.length);
    for (let i = 0; i < out.length; i++) out[i] = make(this.uris[i] as string, this.nodes[i] as N, this.values[i] as V);
    return out;
  }
}

/** Shared across the policies of one check (a policy set's versions may share a catalog). */
export class Sink {
  readonly diagnostics: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  /** Every declaration, once; shared by the policies that include its file. */
  readonly declarations: DeclarationInfo[] = [];
  /** Each file's declaration infos in source order, made by the first policy that declares them. */
  private readonly byFile = new Map<string, DeclarationInfo[]>();
  /** The same by start offset, built only when a second policy includes the file (policy sets). */
  private readonly byStart = new Map<string, Map<number, DeclarationInfo>>();

  /** The infos already made for `uri`'s declarations, by start offset; undefined the first time a policy declares them. */
  sharedDeclarations(uri: string): ReadonlyMap<number, DeclarationInfo> | undefined {
    const infos = this.byFile.get(uri);
    if (!infos) return undefined;
    let map = this.byStart.get(uri);
    if (!map) {
      map = new Map(infos.map((info) => [info.range.start, info]));
      this.byStart.set(uri, map);
    }
    return map;
  }

  /** Records a new declaration info for `uri` (when `sharedDeclarations(uri)` had none). */
  addDeclaration(uri: string, info: DeclarationInfo): void {
    let infos = this.byFile.get(uri);
    if (!infos) {
      infos = [];
      this.byFile.set(uri, infos);
    }
    infos.push(info);
    this.byStart.get(uri)?.set(info.range.start, info);
    this.declarations.push(info);
  }
  /**
   * The index entries, recorded flat (parallel arrays, one entry per reference, country
   * code or quantity) and turned into objects on first use: a command-line check never
   * reads them, and an editor reads them after the diagnostics are out.
   */
  readonly references = new Recorded<Identifier, DeclarationInfo | undefined>();
  readonly countries = new Recorded<CountryCode, undefined>();
  readonly quantities = new Recorded<QuantityExpr, Value>();
  /**
   * The policy checker (its CheckContext) that indexes each file: the first to check it. Later policies that
   * share the file (a catalog imported by several versions) add no duplicate references.
   */
  private readonly indexer = new Map<string, object>();

  add(d: Diagnostic): void {
    const key = `${d.uri}\u0000${d.range.start}\u0000${d.range.end}\u0000${d.code}\u0000${d.message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.diagnostics.push(d);
  }

  /** Whether `checker` (a policy's CheckContext) records index entries for `uri` (claiming it if nobody has). */
  indexes(checker: object, uri: string): boolean {
    const owner = this.indexer.get(uri);
    if (owner === undefined) {
      this.indexer.set(uri, checker);
      return true;
    }
    return owner === checker;
  }
}
