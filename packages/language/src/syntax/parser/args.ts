/**
 * What a `name`, `string`, `date`, `quantity`, `header` or `nameList` sub-rule says it
 * expected (DF1001, "expected ...") at each call site: `this.sub(0, this.header,
 * EXPECT.capName)`. Allocated once, not per call.
 */
import type { SubruleMethodOpts } from "chevrotain";
import {
  AUTH_BLOCK,
  type BlockContext,
  CAP_BLOCK,
  CLASS_BLOCK,
  DECIDE_BLOCK,
  ITEM_BLOCK,
  MODEL_BLOCK,
  POLICY_BLOCK,
  POLICYSET_BLOCK,
  SCHEDULE_BLOCK,
} from "./recovery.js";

function expecting(what: string): SubruleMethodOpts<[string]> & { readonly ARGS: [string] } {
  return { ARGS: [what] };
}

export const EXPECT = {
  citation: expecting("a quoted citation"),
  noteText: expecting("the note's text in quotes"),
  itemName: expecting("an item name"),
  statusName: expecting("a status name"),
  className: expecting("a class name"),
  capName: expecting("a cap name"),
  date: expecting("a date"),
  quantity: expecting("a quantity"),
  importPath: expecting("a file path in quotes"),
  policyTitle: expecting("the policy's title in quotes"),
  version: expecting("a version in quotes"),
  policySetTitle: expecting("the policy set's title in quotes"),
  groupName: expecting("a group name"),
  tppPerUnit: expecting("the TPP per unit (e.g. `15_832 TPP`)"),
  density: expecting("a performance density (e.g. `5.92`)"),
  eccn: expecting("an ECCN in quotes"),
  modelName: expecting("a model name"),
  trainingOps: expecting("training operations (e.g. `3e26 ops`)"),
  capLimit: expecting("a limit (e.g. `790_000_000 TPP`)"),
  multiplier: expecting("a multiplier (e.g. `2`)"),
  endDate: expecting("an end date"),
  limit: expecting("a limit"),
  exceptionName: expecting("an exception name"),
  capNameOrNothing: expecting("a cap name or `nothing`"),
  obligation: expecting("the obligation in quotes"),
  decideName: expecting("a name for this decide block"),
  basis: expecting("an exception or status name (or `NLR`)"),
} as const;

function opening(block: BlockContext): SubruleMethodOpts<[BlockContext]> {
  return { ARGS: [block] };
}

/** The block each `openBrace` call opens, for the messages about a missing `{`. */
export const OPEN = {
  policy: opening(POLICY_BLOCK),
  policySet: opening(POLICYSET_BLOCK),
  item: opening(ITEM_BLOCK),
  model: opening(MODEL_BLOCK),
  class: opening(CLASS_BLOCK),
  cap: opening(CAP_BLOCK),
  schedule: opening(SCHEDULE_BLOCK),
  auth: opening(AUTH_BLOCK),
  decide: opening(DECIDE_BLOCK),
} as const;
