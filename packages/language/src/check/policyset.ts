/**
 * A policy set as a whole. Each version is checked on its own (policy.ts); this module
 * checks what only the set can get wrong: a file listed twice (DF4016), two versions that
 * take effect on the same day (DF4017: the engine could not tell which one decides), a
 * `supersedes` naming a version the set does not list (DF4018) or one that takes effect
 * later (DF4020), and two files declaring the same `version` (DF4019: decisions name the
 * version that decided them). Every diagnostic is
 * reported on a `use` line of the set file: each version may be right on its own, the
 * set is what needs the change.
 */
import type { PolicyDecl, Range, UseClause } from "../ast.js";
import { CODES, type Code } from "../codes.js";
import type { RelatedLocation } from "../diagnostic.js";
import type { PolicyModel } from "../model.js";
import { displayName } from "../uri.js";
import type { Sink } from "./sink.js";

/** One `use` of the set: the clause, the file it names and, when that file is a policy, its checked model. */
export interface UsedVersion {
  readonly use: UseClause;
  readonly uri: string;
  readonly decl: PolicyDecl;
  readonly model: PolicyModel;
}

/**
 * Reports a repeated `use` and returns the versions without the repeats, in the order
 * listed (a file listed twice is one version: checking it twice would report its
 * problems twice and make it look like two versions in force from the same day).
 */
export function distinctUses<U extends { readonly use: UseClause; readonly uri: string }>(sink: Sink, setUri: string, used: readonly U[]): U[] {
  const first = new Map<string, UseClause>();
  const distinct: U[] = [];
  for (const u of used) {
    const { use, uri } = u;
    const earlier = first.get(uri);
    if (!earlier) {
      first.set(uri, use);
      distinct.push(u);
      continue;
    }
    report(sink, "DF4016", setUri, use.path.range, `\`${displayName(uri)}\` is already listed in this policy set`, {
      help: "remove this `use`; if another version was meant here, name its file",
      related: [{ uri: setUri, range: earlier.path.range, message: "first listed here" }],
    });
  }
  return distinct;
}

/** The set-level checks over the distinct versions, in the order listed. */
export function checkVersions(sink: Sink, setUri: string, versions: readonly UsedVersion[]): void {
  // A version whose header lacks its effective date is already reported (DF4001) and takes no part here.
  const dated = versions.filter((v) => v.model.header?.effective);
  sameEffectiveDate(sink, setUri, dated);
  unknownSuperseded(sink, setUri, dated);
  laterSuperseded(sink, setUri, dated);
  sameVersionName(sink, setUri, versions);
}

/** Decisions (`policy.version`), test files (`policyVersion`) and `supersedes` tell versions apart by this name. */
function sameVersionName(sink: Sink, setUri: string, versions: readonly UsedVersion[]): void {
  const byName = new Map<string, UsedVersion>();
  for (const v of versions) {
    const name = v.model.header?.version;
    if (!name) continue;
    const earlier = byName.get(name);
    if (!earlier) {
      byName.set(name, v);
      continue;
    }
    report(sink, "DF4019", setUri, v.use.path.range, `\`${displayName(v.uri)}\` and \`${displayName(earlier.uri)}\` both declare version \`${name}\``, {
      help: "give each version of the set its own `version` name: decisions, policy tests and `supersedes` name versions by it",
      related: [
        { uri: setUri, range: earlier.use.path.range, message: `\`${displayName(earlier.uri)}\` listed here` },
        ...clauseAt(earlier, "VersionClause", `version of \`${displayName(earlier.uri)}\``),
        ...clauseAt(v, "VersionClause", `version of \`${displayName(v.uri)}\``),
      ],
    });
  }
}

/**
 * Two versions with the same `effective` date are both in force on that day whatever
 * their `until` (which must come after `effective`, DF4002), so the two ranges always
 * share at least that day and no `until` makes the choice between them unambiguous.
 */
function sameEffectiveDate(sink: Sink, setUri: string, versions: readonly UsedVersion[]): void {
  const byDate = new Map<string, UsedVersion>();
  for (const v of versions) {
    const date = v.model.header?.effective ?? "";
    const earlier = byDate.get(date);
    if (!earlier) {
      byDate.set(date, v);
      continue;
    }
    report(sink, "DF4017", setUri, v.use.path.range, `\`${displayName(v.uri)}\` and \`${displayName(earlier.uri)}\` both take effect on ${date}`, {
      help: `both are in force on ${date}, so which one decides orders from that day is ambiguous: list only one, or give the other the day it takes over as its \`effective\` date`,
      related: [
        { uri: setUri, range: earlier.use.path.range, message: `\`${displayName(earlier.uri)}\` listed here` },
        ...clauseAt(earlier, "EffectiveClause", `effective date of \`${displayName(earlier.uri)}\``),
        ...clauseAt(v, "EffectiveClause", `effective date of \`${displayName(v.uri)}\``),
      ],
    });
  }
}

/**
 * A `supersedes` should name a version of the set. The earliest version is exempt: a set
 * need not reach back to the start of the regime, so what it replaced may be left out.
 */
function unknownSuperseded(sink: Sink, setUri: string, versions: readonly UsedVersion[]): void {
  const names = new Set(versions.map((v) => v.model.header?.version));
  const earliest = versions.reduce<string | undefined>((min, v) => {
    const date = v.model.header?.effective ?? "";
    return min === undefined || date < min ? date : min;
  }, undefined);
  for (const v of versions) {
    const header = v.model.header;
    if (!header?.supersedes || header.effective === earliest || names.has(header.supersedes)) continue;
    const clause = v.decl.clauses.find((c) => c.kind === "SupersedesClause");
    report(sink, "DF4018", setUri, v.use.path.range, `\`${displayName(v.uri)}\` supersedes version \`${header.supersedes}\`, which is not in this policy set`, {
      help: `list the file of version \`${header.supersedes}\` with \`use\`, or correct the \`supersedes\` clause to name a version of the set (${[...names].map((n) => `\`${n}\``).join(", ")})`,
      related: clause ? [{ uri: v.uri, range: clause.range, message: "the `supersedes` clause" }] : [],
    });
  }
}

/**
 * A version replaces one that came before it, so a `supersedes` naming a version of the
 * set that takes effect later has the two the wrong way round (usually the clause was
 * copied from the later file). A version naming itself is reported with its header
 * (header.ts), and one naming a version that takes effect the same day by DF4017.
 */
function laterSuperseded(sink: Sink, setUri: string, versions: readonly UsedVersion[]): void {
  const byName = new Map<string, UsedVersion>();
  for (const v of versions) if (v.model.header && !byName.has(v.model.header.version)) byName.set(v.model.header.version, v);
  for (const v of versions) {
    const header = v.model.header;
    const superseded = header?.supersedes === undefined ? undefined : byName.get(header.supersedes);
    const later = superseded?.model.header?.effective;
    if (!header || !superseded || later === undefined || later <= header.effective) continue;
    const previous = versionBefore(versions, header.effective);
    const clause = v.decl.clauses.find((c) => c.kind === "SupersedesClause");
    report(
      sink,
      "DF4020",
      setUri,
      v.use.path.range,
      `\`${displayName(v.uri)}\` supersedes version \`${header.supersedes}\`, which takes effect later (${later})`,
      {
        help: `\`supersedes\` names the version this one replaces, which takes effect before it: ${
          previous
            ? `write \`supersedes "${previous}"\`, the version in force before ${header.effective}`
            : "this is the earliest version of the set, so name the version it replaced or remove the clause"
        }`,
        related: [
          ...(clause?.kind === "SupersedesClause" ? [{ uri: v.uri, range: clause.version.range, message: "the `supersedes` clause" }] : []),
          ...clauseAt(superseded, "EffectiveClause", `effective date of \`${displayName(superseded.uri)}\``),
        ],
      },
    );
  }
}

/** The version name of the version that took effect last before `date`, if any. */
function versionBefore(versions: readonly UsedVersion[], date: string): string | undefined {
  let best: UsedVersion | undefined;
  for (const v of versions) {
    const effective = v.model.header?.effective ?? "";
    if (effective < date && (best === undefined || effective > (best.model.header?.effective ?? ""))) best = v;
  }
  return best?.model.header?.version;
}

/** The value of a version's `version` or `effective` clause, as a note. */
function clauseAt(v: UsedVersion, kind: "VersionClause" | "EffectiveClause", message: string): RelatedLocation[] {
  const clause = v.decl.clauses.find((c) => c.kind === kind);
  const range = clause?.kind === "VersionClause" ? clause.value.range : clause?.kind === "EffectiveClause" ? clause.date.range : undefined;
  return range ? [{ uri: v.uri, range, message }] : [];
}

function report(sink: Sink, code: Code, uri: string, range: Range, message: string, extra: { help: string; related: readonly RelatedLocation[] }): void {
  sink.add({ code, severity: CODES[code].severity, message, uri, range, help: extra.help, ...(extra.related.length > 0 ? { related: extra.related } : {}) });
}
