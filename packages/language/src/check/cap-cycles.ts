/**
 * Caps whose own conditions test them: `cap a { ... when within a }`, or `a` testing
 * `within b` while `b` tests `within a`. Deciding whether such a cap applies means
 * checking the cap itself first, without end, so the cycle is reported (DF2008) where it
 * closes.
 */
import type { CapModel, Cond, SourceRef } from "../model.js";
import type { CheckContext } from "./context.js";
import { unreachable } from "./util.js";

/** The `within CAP` conditions a cap tests: in its `when` clauses and its `times ... when` modifiers. */
function withinConditions(cap: CapModel): { cap: string; source: SourceRef }[] {
  const out: { cap: string; source: SourceRef }[] = [];
  const walk = (c: Cond): void => {
    switch (c.kind) {
      case "within":
        out.push({ cap: c.cap, source: c.source });
        return;
      case "and":
      case "or":
        for (const o of c.operands) walk(o);
        return;
      case "not":
        walk(c.operand);
        return;
      case "const":
      case "in":
      case "has":
      case "is":
      case "compare":
      case "date":
      case "flag":
        return;
      default:
        unreachable(c);
    }
  };
  for (const w of cap.when) walk(w.cond);
  for (const m of cap.modifiers) walk(m.when);
  return out;
}

/** Reports each `within` that closes a cycle of caps (call once every cap is checked). */
export function reportCapCycles(cx: CheckContext): void {
  const caps = cx.caps;
  const state = new Map<string, "open" | "done">();
  // Depth-first, with an explicit stack: a long chain of caps must not exhaust the call stack.
  for (const start of caps.keys()) {
    if (state.has(start)) continue;
    const stack: { name: string; edges: { cap: string; source: SourceRef }[]; next: number }[] = [];
    const enter = (name: string, cap: CapModel): void => {
      state.set(name, "open");
      stack.push({ name, edges: withinConditions(cap), next: 0 });
    };
    enter(start, caps.get(start) as CapModel);
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as (typeof stack)[number];
      const edge = top.edges[top.next++];
      if (edge === undefined) {
        state.set(top.name, "done");
        stack.pop();
        continue;
      }
      const target = caps.get(edge.cap);
      if (target === undefined) continue; // an unknown cap is already DF2001
      const seen = state.get(edge.cap);
      if (seen === "open") {
        const saved = cx.uri;
        cx.uri = edge.source.uri;
        cx.report("DF2008", edge.source.range, `cap \`${edge.cap}\` is defined in terms of itself through its conditions`, {
          help: "a cap's `when` and `times ... when` conditions cannot test the cap itself, directly or through other caps; remove this `within`",
        });
        cx.uri = saved;
      } else if (seen === undefined) enter(edge.cap, target);
    }
  }
}
