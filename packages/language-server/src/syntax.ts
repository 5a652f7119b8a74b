/**
 * Generic, read-only helpers over the language's AST: children of a node, a walk,
 * and the chain of nodes under an offset. They look at node shape (`kind` + `range`)
 * rather than enumerating kinds, so a node kind added to the AST is walked for free.
 */
import type { Range, SourceFile } from "@diffuse/language";

export interface AnyNode {
  readonly kind: string;
  readonly range: Range;
}

function isNode(value: unknown): value is AnyNode {
  if (typeof value !== "object" || value === null) return false;
  const v = value as { kind?: unknown; range?: unknown };
  return typeof v.kind === "string" && typeof v.range === "object" && v.range !== null;
}

/** Direct child nodes, in source order. */
export function childNodes(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const [key, value] of Object.entries(node)) {
    if (key === "range") continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) out.push(item);
    } else if (isNode(value)) {
      out.push(value);
    }
  }
  out.sort((a, b) => a.range.start - b.range.start);
  return out;
}

/** Depth-first, pre-order walk. Returning `false` from `visit` skips the node's children. */
export function walk(node: AnyNode, visit: (node: AnyNode, parent: AnyNode | undefined) => boolean | void): void {
  const stack: { node: AnyNode; parent: AnyNode | undefined }[] = [{ node, parent: undefined }];
  while (stack.length > 0) {
    const top = stack.pop();
    if (top === undefined) break;
    if (visit(top.node, top.parent) === false) continue;
    const children = childNodes(top.node);
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i];
      if (child !== undefined) stack.push({ node: child, parent: top.node });
    }
  }
}

/** Nodes whose range contains `offset` (ends included), outermost first. */
export function nodePath(root: SourceFile, offset: number): AnyNode[] {
  const path: AnyNode[] = [root];
  let current: AnyNode = root;
  for (;;) {
    let next: AnyNode | undefined;
    for (const child of childNodes(current)) {
      if (child.range.start <= offset && offset <= child.range.end) {
        // Prefer a non-empty child over a zero-width Missing node at the same spot.
        if (next === undefined || next.range.start === next.range.end) next = child;
      }
    }
    if (next === undefined) return path;
    path.push(next);
    current = next;
  }
}
