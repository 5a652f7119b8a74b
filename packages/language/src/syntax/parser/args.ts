/**
 * Sub-rule arguments, allocated once (not per call): the text a `name`, `string`, `date`,
 * `quantity`, `header` or `nameList` sub-rule puts in its DF1001 ("expected ...") at
 * each call site.
 */
import type { SubruleMethodOpts } from "chevrotain";

export const ARGS_0: SubruleMethodOpts<[string]> = { ARGS: ["a quoted citation"] };
export const ARGS_1: SubruleMethodOpts<[string]> = {
  ARGS: ["the note's text in quotes"],
};
export const ARGS_2: SubruleMethodOpts<[string]> = { ARGS: ["an item name"] };
export const ARGS_3: SubruleMethodOpts<[string]> = { ARGS: ["a date after `from`"] };
export const ARGS_4: SubruleMethodOpts<[string]> = { ARGS: ["a date after `until`"] };
export const ARGS_5: SubruleMethodOpts<[string]> = { ARGS: ["a status name"] };
export const ARGS_6: SubruleMethodOpts<[string]> = { ARGS: ["a class name"] };
export const ARGS_7: SubruleMethodOpts<[string]> = { ARGS: ["a cap name"] };
export const ARGS_8: SubruleMethodOpts<[string]> = { ARGS: ["a date"] };
export const ARGS_9: SubruleMethodOpts<[string]> = { ARGS: ["a quantity"] };
export const ARGS_10: SubruleMethodOpts<[string]> = {
  ARGS: ["a file path in quotes"],
};
export const ARGS_11: SubruleMethodOpts<[string]> = {
  ARGS: ["the policy's title in quotes"],
};
export const ARGS_12: SubruleMethodOpts<[string]> = { ARGS: ["a version in quotes"] };
export const ARGS_13: SubruleMethodOpts<[string]> = {
  ARGS: ["the policy set's title in quotes"],
};
export const ARGS_14: SubruleMethodOpts<[string]> = { ARGS: ["a group name"] };
export const ARGS_15: SubruleMethodOpts<[string]> = {
  ARGS: ["the TPP per unit (e.g. `15_832 TPP`)"],
};
export const ARGS_16: SubruleMethodOpts<[string]> = {
  ARGS: ["a performance density (e.g. `5.92`)"],
};
export const ARGS_17: SubruleMethodOpts<[string]> = { ARGS: ["an ECCN in quotes"] };
export const ARGS_18: SubruleMethodOpts<[string]> = { ARGS: ["a model name"] };
export const ARGS_19: SubruleMethodOpts<[string]> = {
  ARGS: ["training operations (e.g. `3e26 ops`)"],
};
export const ARGS_20: SubruleMethodOpts<[string]> = {
  ARGS: ["a limit (e.g. `790_000_000 TPP`)"],
};
export const ARGS_21: SubruleMethodOpts<[string]> = {
  ARGS: ["a multiplier (e.g. `2`)"],
};
export const ARGS_22: SubruleMethodOpts<[string]> = { ARGS: ["an end date"] };
export const ARGS_23: SubruleMethodOpts<[string]> = { ARGS: ["a limit"] };
export const ARGS_24: SubruleMethodOpts<[string]> = { ARGS: ["an exception name"] };
export const ARGS_25: SubruleMethodOpts<[string]> = {
  ARGS: ["a cap name or `nothing`"],
};
export const ARGS_26: SubruleMethodOpts<[string]> = {
  ARGS: ["the obligation in quotes"],
};
export const ARGS_27: SubruleMethodOpts<[string]> = {
  ARGS: ["a name for this decide block"],
};
export const ARGS_28: SubruleMethodOpts<[string]> = {
  ARGS: ["an exception or status name (or `NLR`)"],
};
