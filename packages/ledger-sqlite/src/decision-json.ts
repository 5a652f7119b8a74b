/**
 * `decisionJson(d)`: the same text as `JSON.stringify(d)` for a Decision, faster.
 *
 * Writing decisions is a large share of `diffuse eval` on big books, and most of a
 * decision's bytes are objects the engine shares between decisions: each rule's `source`
 * location and the `policy` identity. Their JSON is computed once per object (by
 * identity) and reused. Everything else is walked in the object's own key order, so the
 * output follows whatever key order the engine gives (the Decision contract), and any
 * key or value this module does not know is handed to `JSON.stringify` itself.
 *
 * Decisions must be plain data and must not be mutated after they are written (the
 * engine's decisions are readonly).
 */
import type { Decision } from "@diffuse/engine";

/** Characters `JSON.stringify` escapes: quote, backslash, controls, and (lone) surrogates. */
// eslint-disable-next-line no-control-regex -- the control characters are what it looks for
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * A JSON string literal, as `JSON.stringify(s)`. Short strings (ids, keys, amounts: most
 * of a decision's own strings) are checked by a loop, which costs less than a regular
 * expression call; longer ones by the expression.
 */
export function jsonString(s: string): string {
  const n = s.length;
  if (n > 32) return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** Shared objects' JSON by identity; bounded, so a caller making fresh objects every time cannot grow it. */
const shared = new Map<object, string>();
const SHARED_MAX = 4096;

function sharedJson(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return JSON.stringify(value);
  let text = shared.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (shared.size >= SHARED_MAX) shared.clear();
    shared.set(value, text);
  }
  return text;
}

/**
 * Property names as JSON (`"key":`). The names a decision and its charges and reasons have
 * are constants here (a comparison of interned strings each, no map lookup); any other
 * name is computed and cached (the cache stops growing at 256; names beyond are written
 * each time).
 */
const keys = new Map<string, string>();

function keyJson(key: string): string {
  switch (key) {
    case "order":
      return '"order":';
    case "outcome":
      return '"outcome":';
    case "basis":
      return '"basis":';
    case "review":
      return '"review":';
    case "reasons":
      return '"reasons":';
    case "charges":
      return '"charges":';
    case "obligations":
      return '"obligations":';
    case "hints":
      return '"hints":';
    case "policy":
      return '"policy":';
    case "cap":
      return '"cap":';
    case "key":
      return '"key":';
    case "window":
      return '"window":';
    case "amount":
      return '"amount":';
    case "before":
      return '"before":';
    case "after":
      return '"after":';
    case "limit":
      return '"limit":';
    case "rule":
      return '"rule":';
    case "message":
      return '"message":';
    case "cite":
      return '"cite":';
    case "source":
      return '"source":';
    default:
      break;
  }
  let text = keys.get(key);
  if (text === undefined) {
    text = `${jsonString(key)}:`;
    if (keys.size < 256) keys.set(key, text);
  }
  return text;
}

/**
 * A frozen array or object (the engine freezes what decisions share: an outcome's reasons
 * and obligations, the policy identity) by identity, like `sharedJson`; anything else
 * with `write`. Nothing can be added to or replaced in a frozen value, so its text
 * cannot go stale (its elements are frozen too, or shared objects that must not change).
 */
function frozenOr(value: unknown, write: (v: unknown) => string | undefined): string | undefined {
  return typeof value === "object" && value !== null && Object.isFrozen(value) ? sharedJson(value) : write(value);
}

function stringJson(value: unknown): string | undefined {
  return typeof value === "string" ? jsonString(value) : JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && !("toJSON" in value);
}

/** An object whose values are strings, except under `sharedKey` (written by identity). */
function flatJson(value: unknown, sharedKey: string | undefined): string | undefined {
  if (!isPlainObject(value)) return JSON.stringify(value);
  let out = "{";
  for (const key in value) {
    const v = value[key];
    const text = key === sharedKey ? sharedJson(v) : stringJson(v);
    if (text === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${keyJson(key)}${text}`;
  }
  return `${out}}`;
}

function arrayJson(value: unknown, element: (v: unknown) => string | undefined): string | undefined {
  if (!Array.isArray(value)) return JSON.stringify(value);
  let out = "[";
  for (let i = 0; i < value.length; i++) out += `${i === 0 ? "" : ","}${element(value[i] as unknown) ?? "null"}`;
  return `${out}]`;
}

const reasonJson = (v: unknown): string | undefined => flatJson(v, "source");
const chargeJson = (v: unknown): string | undefined => flatJson(v, undefined);
const reasonsJson = (v: unknown): string | undefined => arrayJson(v, reasonJson);
const chargesJson = (v: unknown): string | undefined => arrayJson(v, chargeJson);
const stringsJson = (v: unknown): string | undefined => arrayJson(v, stringJson);

/** `JSON.stringify(decision)`, byte for byte. */
export function decisionJson(decision: Decision): string {
  const d: unknown = decision;
  if (!isPlainObject(d)) return JSON.stringify(d);
  let out = "{";
  for (const key in d) {
    const v = d[key];
    let text: string | undefined;
    switch (key) {
      case "order":
      case "outcome":
      case "basis":
      case "review":
        text = stringJson(v);
        break;
      case "reasons":
        text = frozenOr(v, reasonsJson);
        break;
      case "charges":
        text = frozenOr(v, chargesJson);
        break;
      case "obligations":
      case "hints":
        text = frozenOr(v, stringsJson);
        break;
      case "policy":
        text = sharedJson(v);
        break;
      default:
        text = JSON.stringify(v);
    }
    if (text === undefined) continue;
    out += `${out.length === 1 ? "" : ","}${keyJson(key)}${text}`;
  }
  return flat(`${out}}`);
}

/**
 * The string flattened: built by `+=`, it is a tree of a few dozen pieces, four to five
 * times its length in memory. Callers keep a batch of decisions; kept as trees they
 * outlive the young generation and fill the old one (RSS on a million-order book rose
 * by over 100 MB). Reading a character makes V8 flatten it in place.
 */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * `JSON.stringify(decision)` when `decision` is `{ ...recorded, alreadyDecided: true }`
 * (what the engine returns for an order already on a ledger) and `recordedJson` is
 * `JSON.stringify(recorded)`: the recorded text with the flag appended, without walking
 * the decision again. Undefined when `decision` is not exactly that copy.
 */
export function alreadyDecidedJson(decision: Decision, recorded: Decision, recordedJson: string): string | undefined {
  if (decision.alreadyDecided !== true || !recordedJson.endsWith("}") || recordedJson === "{}") return undefined;
  const d: Readonly<Record<string, unknown>> = decision as unknown as Readonly<Record<string, unknown>>;
  const r: Readonly<Record<string, unknown>> = recorded as unknown as Readonly<Record<string, unknown>>;
  const keys = Object.keys(d);
  const recordedKeys = Object.keys(r);
  if (keys.length !== recordedKeys.length + 1 || keys[keys.length - 1] !== "alreadyDecided") return undefined;
  for (let i = 0; i < recordedKeys.length; i++) {
    const k = recordedKeys[i] as string;
    if (keys[i] !== k || d[k] !== r[k]) return undefined;
  }
  return `${recordedJson.slice(0, -1)},"alreadyDecided":true}`;
}
