// Text from scanned files (service keys, object and container names, file names, quoted values)
// reaches logs that act on what they print: a CI runner parses workflow commands
// (`::error …`, `::add-mask::…`, `::stop-commands::…` at the start of a line, `##[…]` anywhere
// in one), and a terminal obeys ANSI escapes. A name holding a line break, an escape or `##[`
// could forge annotations, mask or hide output. So such characters are shown, escaped, never
// printed raw: a reviewer sees that the name was odd, and nothing acts on it.

/**
 * C0 and C1 controls (CR, LF, tab and ESC among them), DEL, the Unicode line and paragraph
 * separators (line breaks in some viewers), the bidirectional overrides and isolates (they
 * reorder what is displayed), and the `##[` of the runner's legacy commands.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|##\[/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "##[": "#\\#[" };

/**
 * `s` with every unsafe character written as a visible escape: `\n`, `\r`, `\t`, `\x1b` (C0, DEL
 * and C1), `\u2028` (separators, bidi controls), and `##[` as `#\#[`. Text without any is
 * returned as is, so ordinary reports do not change; applying it twice changes nothing more.
 */
export function visible(s: string): string {
  if (!UNSAFE_TEST.test(s)) return s;
  return s.replace(UNSAFE, (c) => {
    const named = NAMED[c];
    if (named) return named;
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/**
 * A path printed at the start of a line: one that begins with `::` (after blanks, which the
 * runner skips) would be read as a workflow command, so it gets a `./` in front (the same path).
 */
export function visibleLineStart(path: string): string {
  const s = visible(path);
  return /^\s*::/.test(s) ? `./${s}` : s;
}

/** What `JSON.stringify` leaves raw in a string (it escapes C0 controls itself). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|##\[/g;
const UNSAFE_IN_JSON_TEST = new RegExp(UNSAFE_IN_JSON.source);

/**
 * JSON text safe to print to a log, for the same data: DEL, C1 controls, U+2028/U+2029 and the
 * bidi controls become `\uXXXX` escapes and `##[` becomes `#\u0023[`; every JSON parser reads
 * the same strings back. (They only occur inside strings, where such escapes are valid.)
 */
export function jsonForLogs(value: unknown): string {
  return jsonTextForLogs(JSON.stringify(value, null, 2));
}

/** jsonForLogs for JSON text already serialized (a whole value, or a piece that splits no string). */
export function jsonTextForLogs(json: string): string {
  if (!UNSAFE_IN_JSON_TEST.test(json)) return json;
  return json.replace(UNSAFE_IN_JSON, (c) => (c === "##[" ? "#\\u0023[" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
}
