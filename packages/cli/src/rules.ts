/** Documentation of diagnostic codes for SARIF rules, from the language's registry. */
import { CODES } from "@diffuse/language";
import type { RuleInfo } from "./format/diagnostics.js";

const registry: Readonly<Record<string, RuleInfo | undefined>> = CODES;

export function ruleInfo(code: string): RuleInfo | undefined {
  return registry[code];
}
