/**
 * What every JSON text from outside is checked for before anything is done with it: nesting no
 * deeper than `MAX_JSON_DEPTH`, and no string (key or value) holding a NUL or a lone UTF-16
 * surrogate. Neither can be stored — PostgreSQL refuses both in text and jsonb (SQLSTATE 22021,
 * 22P05) — and deep nesting overflows any recursive reader or describer downstream.
 *
 * The check is one pass over the bytes (`scanJsonText`): in well-formed UTF-8 both characters can
 * only be written as `\u` escapes, so the pass looks at escapes and brackets and nothing else. Only
 * when it finds a bad string does the parsed value get walked (`findBadString`, iteratively) to name
 * where it is, as a path such as `communities.features[3].properties.name`.
 */

import { type ErrorCode, InputError } from '../errors.ts';

/** Deepest nesting of objects and arrays accepted (a MultiPolygon feature in a body is ~9 deep). */
export const MAX_JSON_DEPTH = 64;

export interface JsonTextOptions {
  /** Names the text in messages: `request body`, `facilities`. */
  what: string;
  /** Paths in messages start with it: `facilities` → `facilities.features[3]…`; '' for a body's own members. */
  root?: string;
  /** The code of a bad string. Default INVALID_PARAMETER (a body's members are parameters). */
  badStringCode?: ErrorCode;
}

/**
 * JSON.parse, after the checks: nesting past `MAX_JSON_DEPTH` is INVALID_JSON before anything is
 * parsed — as a parser with a depth limit reports it (Go's encoding/json, serde_json) —, a NUL or a
 * lone surrogate in any string is a 400 (`badStringCode`) naming its path.
 */
export function parseJsonText(bytes: Uint8Array, opts: JsonTextOptions): unknown {
  const scan = scanJsonText(bytes);
  if (scan.tooDeepAt !== undefined) {
    throw new InputError('INVALID_JSON', `${opts.what}: nested deeper than ${MAX_JSON_DEPTH} levels of objects and arrays (at byte ${scan.tooDeepAt}); no input needs more`);
  }
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch (err) {
    throw new InputError('INVALID_JSON', `${opts.what} is not valid JSON: ${(err as Error).message}`);
  }
  if (scan.badEscapeAt !== undefined) throw badStringError(value, opts, scan.badEscapeAt);
  return value;
}

/** The error for a parsed value known to hold a bad string: named by its path (or byte, should the walk miss it). */
export function badStringError(value: unknown, opts: JsonTextOptions, byte?: number): InputError {
  const found = findBadString(value, opts.root ?? '');
  const where = found?.path ?? opts.root ?? opts.what;
  const what = found ? `${found.path}: holds ${found.problem}` : `${opts.what}: a string holds a NUL character or a lone UTF-16 surrogate${byte === undefined ? '' : ` (at byte ${byte})`}`;
  return new InputError(opts.badStringCode ?? 'INVALID_PARAMETER', `${what}, ${NO_TEXT_MAY}`, { where: where || undefined });
}

export interface JsonTextScan {
  /** Byte offset of the bracket that went past the depth limit. */
  tooDeepAt?: number;
  /** Byte offset of the first `\u` escape that is a NUL or a lone surrogate. */
  badEscapeAt?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const LOWER_U = 0x75;

/**
 * Scans `bytes[start, end)` (a JSON text, or one element of a larger one) for nesting deeper than
 * `maxDepth` and for bad escapes; stops at the first of either. Syntax is JSON.parse's business:
 * this only follows strings and brackets.
 */
export function scanJsonText(bytes: Uint8Array, start = 0, end = bytes.length, maxDepth = MAX_JSON_DEPTH): JsonTextScan {
  let depth = 0;
  let inString = false;
  for (let i = start; i < end; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === QUOTE) inString = false;
      else if (c === BACKSLASH) {
        if (bytes[i + 1] === LOWER_U) {
          const next = escapeEnd(bytes, i, end);
          if (next < 0) return { badEscapeAt: i };
          i = next - 1;
        } else i++;
      }
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (++depth > maxDepth) return { tooDeepAt: i };
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth--;
  }
  return {};
}

/**
 * The first bad `\u` escape in `bytes[start, end)`, found with the native `indexOf` rather than a
 * byte loop: for a reader that already walks the bytes for its own reasons (feature-stream.ts) and
 * only needs the escapes checked. A `\u` preceded by an odd run of backslashes is an escaped
 * backslash followed by the letter u, not an escape.
 */
export function firstBadEscape(bytes: Buffer, start = 0, end = bytes.length): number | undefined {
  // A view of the range, so that indexOf stops at its end: on the whole buffer, a feature without
  // escapes would be searched to the end of its chunk, every feature of the chunk again (quadratic).
  const view = bytes.subarray(start, end);
  let from = 0;
  for (let p = view.indexOf('\\u', from); p >= 0; p = view.indexOf('\\u', from)) {
    let run = 0;
    while (p - run - 1 >= from && view[p - run - 1] === BACKSLASH) run++;
    from = p + 2;
    if (run % 2 === 1) continue;
    const next = escapeEnd(view, p, view.length);
    if (next < 0) return start + p;
    from = next; // past a surrogate pair's low half too
  }
  return undefined;
}

/** Ends every message about a bad string. */
export const NO_TEXT_MAY = 'which no text may hold (it could not be stored)';

/** What is wrong with a string, or undefined: a NUL, or a lone surrogate (code unit named). */
export function badCharacterIn(text: string): string | undefined {
  const match = BAD_CHARACTER.exec(text);
  if (!match) return undefined;
  const unit = match[0].charCodeAt(0);
  return unit === 0 ? 'a NUL character (\\u0000)' : `a lone UTF-16 surrogate (\\u${unit.toString(16)}) that is half of no character`;
}

/**
 * The path of the first key or string value in `value` holding a bad character, and what it is.
 * Iterative (an explicit stack) so that no depth of input can overflow it.
 */
export function findBadString(value: unknown, root = ''): { path: string; problem: string } | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const problem = badCharacterIn(v);
      if (problem) return { path: path || '(the value)', problem };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: `${path}[${i}]` });
    } else if (v !== null && typeof v === 'object') {
      const keys = Object.keys(v);
      // Pushed in reverse, so the first key in the text is reported first.
      for (let k = keys.length - 1; k >= 0; k--) {
        const key = keys[k];
        const keyProblem = badCharacterIn(key);
        const child = path ? `${path}.${printableKey(key)}` : printableKey(key);
        if (keyProblem) stack.push({ value: key, path: `${child} (the key)` });
        else stack.push({ value: (v as Record<string, unknown>)[key], path: child });
      }
    }
  }
  return undefined;
}

// Without the `u` flag the classes match single code units: a surrogate not part of a pair.
const BAD_CHARACTER = /\0|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** A key as it can be shown in a path: bad characters escaped (the message must be storable too). */
function printableKey(key: string): string {
  return JSON.stringify(key).slice(1, -1);
}

/**
 * `bytes[p]` is the backslash of a `\u` escape: the offset after it (after its low half, for a
 * surrogate pair), or -1 when it is a NUL or a lone surrogate. Malformed hex is left to JSON.parse.
 */
function escapeEnd(bytes: Uint8Array, p: number, end: number): number {
  const unit = hex4(bytes, p + 2, end);
  if (unit < 0) return p + 2;
  if (unit === 0) return -1;
  if (unit >= 0xdc00 && unit <= 0xdfff) return -1;
  if (unit < 0xd800 || unit > 0xdbff) return p + 6;
  // A high surrogate is a character only with a low one escaped right after it.
  if (bytes[p + 6] !== BACKSLASH || bytes[p + 7] !== LOWER_U) return -1;
  const low = hex4(bytes, p + 8, end);
  return low >= 0xdc00 && low <= 0xdfff ? p + 12 : -1;
}

function hex4(bytes: Uint8Array, from: number, end: number): number {
  if (from + 4 > end) return -1;
  let value = 0;
  for (let i = from; i < from + 4; i++) {
    const c = bytes[i];
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}
