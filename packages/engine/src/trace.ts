/** Explanation steps: a mutable tree while deciding, frozen into TraceSteps for callers. */
import type { SourceLocation, TraceStep } from "./types.js";

export interface Step {
  rule: string;
  kind: string;
  applied: boolean;
  detail: string;
  cite?: string;
  source?: SourceLocation;
  children?: Step[];
}

export function step(rule: string, kind: string, applied: boolean, detail: string, cite?: string, source?: SourceLocation): Step {
  const s: Step = { rule, kind, applied, detail };
  if (cite !== undefined) s.cite = cite;
  if (source !== undefined) s.source = source;
  return s;
}

export function child(parent: Step, s: Step): Step {
  (parent.children ??= []).push(s);
  return s;
}

export function freezeTrace(steps: readonly Step[]): TraceStep[] {
  return steps.map((s) => {
    const out: { -readonly [K in keyof TraceStep]: TraceStep[K] } = { rule: s.rule, kind: s.kind, applied: s.applied, detail: s.detail };
    if (s.cite !== undefined) out.cite = s.cite;
    if (s.source !== undefined) out.source = s.source;
    if (s.children !== undefined) out.children = freezeTrace(s.children);
    return out;
  });
}
