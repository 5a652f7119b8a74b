/**
 * textDocument/hover: a name's declaration with its resolved value and units, and its
 * citation; a country code's name and the groups that contain it.
 */
import { MarkupKind, type Hover } from "vscode-languageserver";
import { countryName, displayName, formatPercent, formatRational, rational } from "@diffuse/language";
import type { CapModel, CapWindow, ExactQuantity, MembershipInterval, PolicyModel, QuantityInfo, Rational, SourceRef } from "@diffuse/language";
import type { Analysis, DeclarationInfo } from "../analysis.js";
import { toLspRange } from "../positions.js";
import { nodePath, walk } from "../syntax.js";
import { KEYWORD_DOCS } from "./keywordDocs.js";
import { nameAt } from "./navigation.js";

export function hover(analysis: Analysis, offset: number): Hover | null {
  const at = nameAt(analysis, offset);
  if (at !== undefined) {
    const range = toLspRange(analysis.document, at.kind === "declaration" ? at.declaration.nameRange : at.reference.range);
    if (at.kind === "declaration") return markdown(describeDeclaration(analysis, at.declaration), range);
    const declaration = at.reference.declaration;
    if (declaration === undefined && at.reference.name === "NLR") {
      return markdown("`NLR`: no license required (built in): the lines are authorized without a license exception", range);
    }
    if (declaration === undefined) {
      return markdown(`\`${at.reference.name}\`: not declared in this policy or its imports`, range);
    }
    return markdown(describeDeclaration(analysis, declaration), range);
  }
  const path = nodePath(analysis.ast, offset);
  const leaf = path[path.length - 1];
  if (leaf?.kind === "CountryCode") {
    const code = (leaf as unknown as { code: string }).code;
    return markdown(describeCountryCode(analysis.model, code), toLspRange(analysis.document, leaf.range));
  }
  // A quantity: its exact value as the checker understood it (`1_699 x H100` = 26,898,568 TPP).
  let best: QuantityInfo | undefined;
  for (const q of analysis.index.quantities.values()) {
    if (q.uri !== analysis.uri || q.range.start > offset || offset > q.range.end) continue;
    if (best === undefined || q.range.end - q.range.start < best.range.end - best.range.start) best = q;
  }
  if (best !== undefined) return markdown(describeQuantity(analysis.model, best), toLspRange(analysis.document, best.range));
  // A keyword: what it means.
  const word = wordAt(analysis.document.getText(), offset);
  if (word !== undefined && Object.hasOwn(KEYWORD_DOCS, word.text) && !insideStringOrComment(analysis, offset)) {
    return markdown(`\`${word.text}\`: ${KEYWORD_DOCS[word.text] ?? ""}`, toLspRange(analysis.document, word.range));
  }
  return null;
}

const CASE_BY_CASE = "case-by-case";

function wordAt(text: string, offset: number): { text: string; range: { start: number; end: number } } | undefined {
  // `case-by-case` is the one keyword with hyphens.
  const around = Math.max(0, offset - CASE_BY_CASE.length);
  const found = text.slice(around, offset + CASE_BY_CASE.length).indexOf(CASE_BY_CASE);
  if (found >= 0 && around + found <= offset && offset <= around + found + CASE_BY_CASE.length) {
    return { text: CASE_BY_CASE, range: { start: around + found, end: around + found + CASE_BY_CASE.length } };
  }
  let start = offset;
  let end = offset;
  while (start > 0 && /[A-Za-z_]/.test(text[start - 1] ?? "")) start--;
  while (end < text.length && /[A-Za-z_]/.test(text[end] ?? "")) end++;
  return end > start ? { text: text.slice(start, end), range: { start, end } } : undefined;
}

function insideStringOrComment(analysis: Analysis, offset: number): boolean {
  if (analysis.comments.some((c) => c.range.start <= offset && offset < c.range.end)) return true;
  let inside = false;
  walk(analysis.ast, (node) => {
    if (inside || node.range.end < offset || node.range.start > offset) return false;
    if (node.kind === "StringLiteral" && node.range.start < offset && offset < node.range.end) inside = true;
    return undefined;
  });
  return inside;
}

function describeQuantity(model: PolicyModel | undefined, q: QuantityInfo): string {
  const v = q.value;
  switch (v.unit) {
    case "days":
    case "months":
    case "years":
      return `= ${formatAmount(v.value)} ${v.unit}`;
    case "percent-of-capacity":
      // The checker keeps the share as a fraction (7 % is 7/100).
      return `= ${formatPercent(v.value, { group: true })} % of the consignee's global capacity`;
    case "TPP":
    case "units":
    case "ops":
    case "percent":
    case "count":
      return `= ${withH100(model, { unit: v.unit, value: v.value })}`;
    default: {
      const never: never = v;
      return never;
    }
  }
}

function markdown(value: string, range: Hover["range"]): Hover {
  const hover: Hover = { contents: { kind: MarkupKind.Markdown, value } };
  if (range !== undefined) hover.range = range;
  return hover;
}

/** Source text of a model element, trimmed to one line. */
function sourceText(analysis: Analysis, source: SourceRef): string {
  const file = analysis.files.get(source.uri);
  if (file === undefined) return "";
  return file.document.getText().slice(source.range.start, source.range.end).replace(/\s+/g, " ").trim();
}

function firstLine(analysis: Analysis, declaration: DeclarationInfo): string {
  const file = analysis.files.get(declaration.uri);
  if (file === undefined) return `${declaration.kind} ${declaration.name}`;
  const text = file.document.getText().slice(declaration.range.start, declaration.range.end);
  const line = text.split(/\r?\n/)[0] ?? "";
  // The header up to the body: the first `=` or `{` outside a string.
  let inString = false;
  let cut = line.length;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === "\\" && inString) i++;
    else if (ch === '"') inString = !inString;
    else if (!inString && (ch === "=" || ch === "{")) {
      cut = i;
      break;
    }
  }
  return line.slice(0, cut).trim() || `${declaration.kind} ${declaration.name}`;
}

export function formatAmount(value: Rational): string {
  return formatRational(value, { group: true });
}

function quantity(q: ExactQuantity): string {
  switch (q.unit) {
    case "TPP":
      return `${formatAmount(q.value)} TPP`;
    case "units":
      return `${formatAmount(q.value)} units`;
    case "ops":
      return `${formatAmount(q.value)} ops`;
    case "percent":
      return `${formatPercent(q.value, { group: true })} %`;
    case "count":
      return formatAmount(q.value);
    default: {
      const never: never = q.unit;
      return never;
    }
  }
}

/** `790,000,000 TPP (about 49,898.9 H100-equivalents)` when the policy has an H100 item. */
function withH100(model: PolicyModel | undefined, q: ExactQuantity): string {
  const text = quantity(q);
  const h100 = model?.items.get("H100");
  if (q.unit !== "TPP" || h100 === undefined || h100.tppPerUnit.num <= 0n) return text;
  return `${text} (${h100Equivalents(q.value, h100.tppPerUnit)})`;
}

/**
 * An amount of TPP in H100s, for reading only (the checker's values stay exact): exact when
 * it is a whole number of tenths, else rounded to the nearest tenth and marked "about"; an
 * amount that rounds to nothing is "less than 0.1", never "about 0".
 */
function h100Equivalents(tpp: Rational, perUnit: Rational): string {
  // tpp / perUnit = num / den, with den > 0 (both amounts are positive).
  const num = tpp.num * perUnit.den;
  const den = tpp.den * perUnit.num;
  const exact = (num * 10n) % den === 0n;
  const tenths = (num * 20n + den) / (2n * den);
  if (tenths === 0n && !exact) return "less than 0.1 H100-equivalents";
  const shown = formatAmount(rational.rational(tenths, 10n));
  return `${exact ? "" : "about "}${shown} H100-equivalent${shown === "1" ? "" : "s"}`;
}

function windowText(window: CapWindow): string {
  switch (window.kind) {
    case "calendar-year":
      return "each calendar year";
    case "fixed":
      return `${window.from} to ${window.to} (both inclusive)`;
    case "rolling":
      return `rolling ${window.length} ${window.unit}`;
    case "all-time":
      return "all time";
    case "schedule":
      return "cumulative schedule";
    default: {
      const never: never = window;
      return never;
    }
  }
}

function capLines(analysis: Analysis, cap: CapModel): string[] {
  const lines: string[] = [];
  switch (cap.limit.kind) {
    case "absolute":
      lines.push(`**limit** ${withH100(analysis.model, cap.limit.value)}`);
      break;
    case "percent-of-capacity":
      lines.push(`**limit** ${formatPercent(cap.limit.percent, { group: true })} % of the consignee's global capacity`);
      break;
    case "schedule":
      break;
    default: {
      const never: never = cap.limit;
      return never;
    }
  }
  lines.push(`**per** ${cap.key.length === 0 ? "(no key)" : cap.key.join(" x ")}`);
  lines.push(`**window** ${windowText(cap.window)}`);
  if (cap.window.kind === "schedule") {
    for (const step of cap.window.steps) lines.push(`- through ${step.through}: ${withH100(analysis.model, step.limit)}`);
  }
  for (const modifier of cap.modifiers) lines.push(`**times** ${formatAmount(modifier.factor)} when \`${sourceText(analysis, modifier.when.source)}\``);
  for (const when of cap.when) lines.push(`**counts orders** when \`${sourceText(analysis, when.cond.source)}\``);
  return lines;
}

function membersText(members: readonly MembershipInterval[]): string[] {
  const byCountry = new Map<string, MembershipInterval[]>();
  for (const m of members) {
    const list = byCountry.get(m.country) ?? [];
    list.push(m);
    byCountry.set(m.country, list);
  }
  return [...byCountry.entries()].map(([code, intervals]) => {
    const dated = intervals
      .filter((i) => i.from !== undefined || i.until !== undefined)
      .map((i) => [i.from !== undefined ? `from ${i.from}` : "", i.until !== undefined ? `until ${i.until}` : ""].filter(Boolean).join(" "));
    return `${code} ${countryName(code) ?? ""}${dated.length > 0 ? ` (${dated.join("; ")})` : ""}`.trim();
  });
}

export function describeDeclaration(analysis: Analysis, declaration: DeclarationInfo): string {
  const model = analysis.model;
  const parts: string[] = ["```diffuse\n" + firstLine(analysis, declaration) + "\n```"];
  const facts: string[] = [];
  switch (declaration.kind) {
    case "group": {
      const group = model?.groups.get(declaration.name);
      if (group !== undefined) {
        const members = membersText(group.members);
        facts.push(`**${members.length} ${members.length === 1 ? "country" : "countries"}**`);
        const shown = members.slice(0, 60);
        if (shown.length > 0) facts.push(shown.join(", ") + (members.length > shown.length ? `, and ${members.length - shown.length} more` : ""));
      }
      break;
    }
    case "item": {
      const item = model?.items.get(declaration.name);
      if (item !== undefined) {
        facts.push(`**tpp** ${formatAmount(item.tppPerUnit)} TPP per unit`);
        if (item.performanceDensity !== undefined) facts.push(`**density** ${formatAmount(item.performanceDensity)}`);
        if (item.eccn !== undefined) facts.push(`**eccn** ${item.eccn}`);
        facts.push(`**datacenter** ${item.dataCenter ? "yes" : "no"}`);
      }
      break;
    }
    case "model": {
      const weights = model?.models.get(declaration.name);
      if (weights !== undefined) {
        facts.push(`**operations** ${formatAmount(weights.trainingOps)} ops`);
        facts.push(`**weights** ${weights.openWeights ? "open" : "closed"}`);
      }
      break;
    }
    case "class": {
      const cls = model?.classes.find((c) => c.name === declaration.name);
      if (cls !== undefined) {
        if (cls.eccn !== undefined) facts.push(`**eccn** ${cls.eccn}`);
        for (const when of cls.when) facts.push(`**when** \`${sourceText(analysis, when.cond.source)}\``);
      }
      break;
    }
    case "cap": {
      const cap = model?.caps.get(declaration.name);
      if (cap !== undefined) facts.push(...capLines(analysis, cap));
      break;
    }
    case "exception":
    case "status": {
      const auth = model?.authorizations.get(declaration.name);
      if (auth !== undefined) {
        for (const when of auth.when) facts.push(`**when** \`${sourceText(analysis, when.cond.source)}\``);
        if (auth.within.length > 0) facts.push(`**within** ${auth.within.join(", ")}`);
        facts.push(`**counts toward** ${auth.countsTowardNothing ? "nothing" : auth.countsToward.join(", ") || "(unspecified)"}`);
        for (const r of auth.requires) facts.push(`**requires** ${r.text}`);
      }
      break;
    }
    case "decide": {
      const decide = model?.decisions.find((d) => d.name === declaration.name);
      if (decide !== undefined) {
        facts.push(`**for** ${decide.classes.join(", ")}`);
        facts.push(`${decide.rules.length} ${decide.rules.length === 1 ? "rule" : "rules"}, tried in order`);
      }
      break;
    }
    default: {
      const never: never = declaration.kind;
      return never;
    }
  }
  if (facts.length > 0) parts.push(facts.join("  \n"));
  if (declaration.cite !== undefined) parts.push(`*cite:* ${declaration.cite}`);
  if (declaration.uri !== analysis.uri) parts.push(`*declared in* ${displayName(declaration.uri)}`);
  return parts.join("\n\n");
}

/** Groups whose membership ever contains `code`, with the dates when it is dated. */
export function describeCountryCode(model: PolicyModel | undefined, code: string): string {
  const name = countryName(code);
  if (name === undefined) return `\`${code}\`: not an ISO 3166-1 alpha-2 country code`;
  const lines = [`**${code}** ${name}`];
  const groups: string[] = [];
  for (const group of model?.groups.values() ?? []) {
    const intervals = group.members.filter((m) => m.country === code);
    if (intervals.length === 0) continue;
    const dated = intervals
      .filter((i) => i.from !== undefined || i.until !== undefined)
      .map((i) => [i.from !== undefined ? `from ${i.from}` : "", i.until !== undefined ? `until ${i.until}` : ""].filter(Boolean).join(" "));
    groups.push(`\`${group.name}\`${dated.length > 0 ? ` (${dated.join("; ")})` : ""}`);
  }
  lines.push(groups.length > 0 ? `in ${groups.join(", ")}` : "in no group");
  return lines.join("  \n");
}
