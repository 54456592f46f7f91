// Scenario text → JSON, with the limits that keep bad input from hurting whoever reads it: a size
// cap, a nesting cap, a UTF-8 byte order mark accepted, and a syntax error located by line and
// column. No schema library here: the page's file-open path imports this without the validator.
// The limits are part of the bad-input contract (docs/formats.md § Validation).

/** The most text a scenario may have, in UTF-16 code units (about bytes, for a JSON file). */
export const MAX_SCENARIO_CHARS = 64 * 1024 * 1024;
/** The deepest nesting of arrays and objects a scenario may have (a valid one needs 5). */
export const MAX_JSON_DEPTH = 64;
/** Problems listed, at most; the rest are counted ("and N more"). */
export const MAX_PROBLEMS = 100;
/** User text (a title, an unknown field name) is echoed up to this many characters. */
export const MAX_ECHO_CHARS = 80;

export type JsonText = { ok: true; json: unknown } | { ok: false; problems: string[] };

const MIB = 1024 * 1024;

/**
 * Text a user wrote, made safe to print on one terminal line: JSON-style escapes for control
 * characters (C0, DEL, C1), line and paragraph separators and bidirectional overrides.
 */
export function escapeControl(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    switch (ch) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}

/** A user's string in double quotes, escaped as JSON (and see escapeControl), cut to MAX_ECHO_CHARS. */
export function quote(text: string): string {
  const cut = text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS)}…` : text;
  return escapeControl(JSON.stringify(cut));
}

/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Parses scenario text into JSON (not yet validated against the schema). Accepts a leading UTF-8
 * byte order mark; rejects text over MAX_SCENARIO_CHARS and nesting over MAX_JSON_DEPTH; a syntax
 * error is reported with its line and column. Never throws.
 */
export function parseJsonText(input: string): JsonText {
  if (input.length > MAX_SCENARIO_CHARS) {
    return { ok: false, problems: [TOO_LARGE_PROBLEM] };
  }
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const deep = depthExceededAt(text, MAX_JSON_DEPTH);
  if (deep >= 0) {
    const { line, column } = lineColumn(text, deep);
    return { ok: false, problems: [`(root): nested more than ${MAX_JSON_DEPTH} levels deep at line ${line}, column ${column} (a scenario needs at most 5)`] };
  }
  try {
    return { ok: true, json: JSON.parse(text) };
  } catch (e) {
    if (e instanceof RangeError) return { ok: false, problems: ['(root): the JSON is nested too deeply to read'] };
    const { offset, expected } = jsonErrorAt(text);
    const { line, column } = lineColumn(text, offset);
    const found = offset < text.length ? quote(String.fromCodePoint(text.codePointAt(offset)!)) : 'the end of the file';
    return { ok: false, problems: [`(root): not valid JSON at line ${line}, column ${column}: expected ${expected}, found ${found}`] };
  }
}

/** The problem for text over the cap (MAX_SCENARIO_CHARS). */
export const TOO_LARGE_PROBLEM = `(root): too large: a scenario may have at most ${MAX_SCENARIO_CHARS / MIB} MiB`;

/**
 * Offset of the first `[` or `{` that opens a level deeper than `limit`, outside strings; -1 when
 * none. One pass, no recursion.
 */
function depthExceededAt(text: string, limit: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c) i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) {
      if (++depth > limit) return i;
    } else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return -1;
}

/**
 * Where JSON text first goes wrong, and what was expected there. JSON.parse says so only in some
 * engines' messages, so this small scanner finds it the same way everywhere. It keeps its own stack
 * of open containers, so no nesting depth can overflow the call stack.
 */
export function jsonErrorAt(text: string): { offset: number; expected: string } {
  let i = 0;
  const ws = (): void => {
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return;
      i++;
    }
  };
  /** Scans a string starting at its opening quote; returns what was expected, or null when it is fine. */
  const string = (): string | null => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') i++;
      else if (text.charCodeAt(i) < 0x20) return 'no control characters inside a string';
      i++;
    }
    if (i >= text.length) return 'a closing double quote';
    i++;
    return null;
  };
  const scalar = /-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null/y;
  const stop = (expected: string) => ({ offset: Math.min(i, text.length), expected });
  // What the scanner does next: read a value, or continue an open array/object after one.
  const open: ('[' | '{')[] = [];
  let wantValue = true;
  for (;;) {
    if (wantValue) {
      ws();
      const ch = text[i];
      if (ch === '{') {
        i++;
        ws();
        if (text[i] === '}') {
          i++;
          wantValue = false;
          continue;
        }
        open.push('{');
        if (text[i] !== '"') return stop('a property name in double quotes');
        const e = string();
        if (e) return stop(e);
        ws();
        if (text[i] !== ':') return stop('":"');
        i++;
        continue;
      }
      if (ch === '[') {
        i++;
        ws();
        if (text[i] === ']') {
          i++;
          wantValue = false;
          continue;
        }
        open.push('[');
        continue;
      }
      if (ch === '"') {
        const e = string();
        if (e) return stop(e);
      } else {
        scalar.lastIndex = i;
        const m = scalar.exec(text);
        if (!m) return stop('a value');
        i += m[0].length;
      }
      wantValue = false;
      continue;
    }
    // After a value: close containers or go on to the next member.
    ws();
    const top = open[open.length - 1];
    if (top === undefined) {
      if (i < text.length) return stop('the end of the file');
      return { offset: text.length, expected: 'valid JSON' };
    }
    if (text[i] === ',') {
      i++;
      if (top === '{') {
        ws();
        if (text[i] !== '"') return stop('a property name in double quotes');
        const e = string();
        if (e) return stop(e);
        ws();
        if (text[i] !== ':') return stop('":"');
        i++;
      }
      wantValue = true;
      continue;
    }
    if (text[i] === (top === '{' ? '}' : ']')) {
      i++;
      open.pop();
      continue;
    }
    return stop(top === '{' ? '"," or "}"' : '"," or "]"');
  }
}
