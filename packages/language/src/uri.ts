/**
 * Document URIs and import paths: one canonical spelling of a URI, so that the same file
 * always has the same key, whether its URI came from an editor, from Node's
 * `pathToFileURL` or from resolving an `import` line.
 *
 * The canonical form is the one VS Code sends (vscode-uri's `toString()`): in the path,
 * query and fragment every character but RFC 3986's unreserved ones (`A-Z a-z 0-9 - . _ ~`)
 * and the `/` between path segments is percent-encoded as UTF-8 in upper-case hex; a
 * Windows drive letter is lower case; scheme and host are lower case. A URI from VS Code
 * is therefore already canonical, and one from another client (which may leave `(` or
 * `!` as typed) is decoded and encoded again.
 *
 * A string without a scheme is a plain file path (the CLI loads policies by path), not a
 * URI: it is never percent-encoded or decoded, and `#` or `?` in it are part of a name.
 * A single letter and a colon start a Windows path (`C:/x`), not a URI. A relative path
 * whose first name holds a colon after two letters or more (`ab:c.diffuse`, legal on
 * POSIX) is spelt `./ab:c.diffuse`, as RFC 3986 spells such a reference, so that it is
 * not taken for a URI.
 *
 * Pure string logic (no `URL`, no Node): the language runs in a browser worker.
 */

// Two characters at least: a single letter before the colon is a Windows drive (`C:/x`), not a scheme.
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]+:/;
const URI = /^([a-zA-Z][a-zA-Z0-9+.-]+):(?:\/\/([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#([\s\S]*))?$/;
const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const DRIVE = /^[a-zA-Z]:$/;
const DRIVE_PATH = /^[a-zA-Z]:(?:\/|$)/;
// An import path is a URI only when its scheme is followed by `/` (`file:///x`, `https://h/x`): `ab:c.diffuse` is a file name.
const URI_IMPORT = /^[a-zA-Z][a-zA-Z0-9+.-]+:\//;

/** A URI split into its parts; path segments, query and fragment decoded. */
interface UriParts {
  /** Lower case, without the colon. */
  readonly scheme: string;
  /** Undefined when the URI has no `//` part. */
  readonly authority: string | undefined;
  /** The path split at `/`, each segment decoded: `/a/b` is `["", "a", "b"]`. */
  readonly segments: readonly string[];
  readonly query: string | undefined;
  readonly fragment: string | undefined;
}

/** Whether `text` starts with a URI scheme (`file:`, `untitled:`...), i.e. is a URI rather than a path. */
export function hasScheme(text: string): boolean {
  return SCHEME.test(text);
}

/**
 * Percent-encodes a path segment (or a query or fragment): everything but unreserved
 * characters, as UTF-8. A lone surrogate, which has no UTF-8 form, becomes U+FFFD rather
 * than an exception.
 */
export function encodeSegment(text: string): string {
  // encodeURIComponent leaves `!'()*` as they are; vscode-uri (and RFC 3986's unreserved set) encodes them.
  return encodeURIComponent(text.replace(LONE_SURROGATE, "\uFFFD")).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Decodes percent escapes. An escape that is not part of valid UTF-8 (`%FF`, a lone
 * `%C3`) stays as written, so decoding never fails; encoding it again then spells its `%`
 * as `%25`, as vscode-uri does.
 */
export function decodeSegment(text: string): string {
  return text.replace(ESCAPE_RUN, decodeEscapes);
}

/** Decodes a run of `%XX` escapes one UTF-8 sequence at a time (linear, whatever the run holds). */
function decodeEscapes(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i += 3) bytes.push(Number.parseInt(run.slice(i + 1, i + 3), 16));
  let out = "";
  for (let i = 0; i < bytes.length;) {
    const length = utf8Length(bytes[i] as number);
    const escapes = run.slice(i * 3, (i + length) * 3);
    try {
      if (length === 0 || i + length > bytes.length) throw new URIError();
      out += decodeURIComponent(escapes);
      i += length;
    } catch {
      out += run.slice(i * 3, i * 3 + 3);
      i++;
    }
  }
  return out;
}

/** The length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one. */
function utf8Length(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf5) return 4;
  return 0;
}

function parseUri(uri: string): UriParts | undefined {
  const m = URI.exec(uri);
  if (m === null) return undefined;
  const [, scheme = "", authority, path = "", query, fragment] = m;
  return {
    scheme: scheme.toLowerCase(),
    authority: authority === undefined ? undefined : lowerCaseHost(authority),
    segments: path.split("/").map(decodeSegment),
    query: query === undefined || query === "" ? undefined : decodeSegment(query),
    fragment: fragment === undefined || fragment === "" ? undefined : decodeSegment(fragment),
  };
}

/** Host names are case-insensitive; user information (before `@`) is not. */
function lowerCaseHost(authority: string): string {
  const at = authority.lastIndexOf("@");
  return authority.slice(0, at + 1) + authority.slice(at + 1).toLowerCase();
}

/** Percent-encodes a file path (`/`-separated) segment by segment, for a URI path or a relative reference. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeSegment).join("/");
}

/** Formats parts as a canonical URI. A drive letter is lower-cased as vscode-uri does (`/C:/x` -> `/c%3A/x`): Windows ignores its case. */
function formatUri(parts: UriParts): string {
  const absolute = parts.segments[0] === "";
  // `file:/x` and `file:///x` name the same file; the canonical form has the (empty) authority.
  const authority = parts.authority ?? (parts.scheme === "file" && absolute ? "" : undefined);
  let out = `${parts.scheme}:`;
  if (authority !== undefined) out += `//${authority}`;
  // Segment by segment: a decoded segment may hold a `/` (from `%2F`), which stays encoded.
  out += foldSegments(parts.segments)
    .map((segment, i) => encodeSegment(i === 1 && absolute && DRIVE.test(segment) ? segment.toLowerCase() : segment))
    .join("/");
  if (parts.query !== undefined) out += `?${encodeSegment(parts.query)}`;
  if (parts.fragment !== undefined) out += `#${encodeSegment(parts.fragment)}`;
  return out;
}

/**
 * The canonical spelling of a URI (see the top of this file), `.` and `..` segments
 * folded: two URIs of the same file normalise to the same string, and normalising is
 * idempotent. A plain path (no scheme) keeps its characters as they are, with its `.` and
 * `..` segments folded as an import's are. Either way, the spelling `resolveImport` gives
 * the file, so `load` keys its entry file with it.
 */
export function normalizeUri(uri: string): string {
  const parts = parseUri(uri);
  return parts === undefined ? plainPath(foldSegments(uri.split("/"))) : formatUri(parts);
}

/** Joins plain path segments; a relative path whose first name would read as a URI scheme starts `./`. */
function plainPath(segments: readonly string[]): string {
  const path = segments.join("/");
  return hasScheme(path) ? `./${path}` : path;
}

/** How an import path is taken: a URI, an absolute path, or a path relative to the importing file. */
export function importForm(path: string): "uri" | "absolute" | "relative" {
  if (URI_IMPORT.test(path)) return "uri";
  return path.startsWith("/") || DRIVE_PATH.test(path) ? "absolute" : "relative";
}

/**
 * Resolves an `import` (or `use`) path relative to the URI, or plain path, of the importing
 * file, the way a browser resolves a relative link: `./` and `../` segments are folded, a
 * path whose scheme is followed by `/` (`file:///x.diffuse`) is a URI taken as is
 * (normalised), and a path starting with `/` is rooted at the base's authority, as is a
 * Windows drive path (`C:/lib/x.diffuse`). Otherwise the import path is a file path, not a
 * URI: each of its characters is taken literally (`a#b.diffuse`, `100%.diffuse`,
 * `ab:c.diffuse`) and, under a URI base, percent-encoded canonically, so the result is the
 * URI an editor uses for that file.
 */
export function resolveImport(base: string, path: string): string {
  if (URI_IMPORT.test(path)) return normalizeUri(path);
  const parts = parseUri(base);
  const drive = DRIVE_PATH.test(path);
  if (parts === undefined) return plainPath(drive ? foldSegments(path.split("/")) : resolveSegments(base.split("/"), path));
  // Under an authority an empty path is the root (`file://host` + `x` is `file://host/x`).
  const from = parts.authority !== undefined && parts.segments.length === 1 && parts.segments[0] === "" ? ["", ""] : parts.segments;
  // A Windows drive path is absolute; in a URI its drive is the first segment (`file:///c%3A/x`).
  const segments = resolveSegments(from, drive ? `/${path}` : path);
  return formatUri({ scheme: parts.scheme, authority: parts.authority, segments, query: undefined, fragment: undefined });
}

/** Joins a relative path to the directory of a base path (both as segments) and folds `.` and `..`. */
function resolveSegments(base: readonly string[], path: string): string[] {
  const rel = path.split("/");
  return foldSegments(rel[0] === "" ? rel : [...base.slice(0, -1), ...rel]);
}

/** Folds the `.` and `..` segments of a path (as segments); `..` stops at the root of an absolute path (`/`, or a drive: `C:`). */
function foldSegments(joined: readonly string[]): string[] {
  const absolute = joined[0] === "" || DRIVE.test(joined[0] ?? "");
  const out: string[] = [];
  joined.forEach((segment, i) => {
    const last = i === joined.length - 1;
    if (segment === "..") {
      const top = out[out.length - 1];
      if (top !== undefined && top !== ".." && !(absolute && out.length === 1)) out.pop();
      else if (!absolute) out.push("..");
    } else if (segment !== ".") out.push(segment);
    if (last && (segment === "." || segment === "..")) out.push("");
  });
  return out;
}

/** The file name a URI (or plain path) ends with, decoded, for messages (`a#b.diffuse`, not `a%23b.diffuse`). */
export function displayName(uri: string): string {
  const parts = parseUri(uri);
  const segments = parts === undefined ? uri.split("/") : parts.segments;
  return segments[segments.length - 1] || uri;
}

/**
 * A URI as a person reads it, for messages: a `file:` URI as its decoded path
 * (`/ws/a#b.diffuse`, `c:/ws/x.diffuse`, `//host/share/x.diffuse`), a plain path as it
 * is, any other URI in its canonical form.
 */
export function displayUri(uri: string): string {
  const parts = parseUri(uri);
  if (parts === undefined) return uri;
  if (parts.scheme !== "file") return formatUri(parts);
  const path = parts.segments.join("/");
  if (parts.authority) return `//${parts.authority}${path}`;
  const drive = parts.segments[1];
  return parts.segments[0] === "" && drive !== undefined && DRIVE.test(drive) ? path.slice(1) : path;
}
