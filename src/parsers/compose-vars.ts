// Compose interpolation, read once for every compose rule: `${VAR}`, `$VAR`, `${VAR:-default}`,
// `${VAR-default}`, `${VAR:?err}`, `${VAR?err}`, `${VAR:+alt}`, `${VAR+alt}`, `$$`; and the
// variables of the project's `.env` file, which compose substitutes (the shell's environment,
// which would win over them, is unknown to a linter: a variable set nowhere stays unresolved).

/** Variables by name, e.g. the project's `.env`. */
export type Variables = ReadonlyMap<string, string>;

const NO_VARIABLES: Variables = new Map();

export interface Interpolated {
  /** The text with every variable known and every default substituted (`$$` → `$`); unresolved references stay as written. */
  value: string;
  /** Whether the text holds a reference at all. */
  hasReference: boolean;
  /** Whether some reference is neither a known variable nor has a default, so its value is only known at run time. */
  unresolved: boolean;
  /** The defaults written in the file (`${VAR:-x}` → "x") that were used, in order. */
  defaults: string[];
  /** Each `${VAR…}` / `$VAR` reference, with its default when it has one and its value when it is a known variable. */
  references: { name: string; default?: string; value?: string }[];
}

/**
 * Defaults nested deeper than this (`${A:-${B:-${C:-…}}}`) are not read: each level rescans the
 * rest of the text, and a hostile file could nest thousands deep.
 */
const MAX_INTERPOLATION_DEPTH = 16;

/**
 * Reads compose interpolation as compose does, with `variables` (the project's `.env`) for the
 * variables it knows: a known variable gives its value; an unknown one its default, if it has one.
 */
export function interpolate(text: string, variables: Variables = NO_VARIABLES, depth = 0): Interpolated {
  const out: Interpolated = { value: "", hasReference: false, unresolved: false, defaults: [], references: [] };
  if (depth > MAX_INTERPOLATION_DEPTH) return { ...out, value: text, hasReference: true, unresolved: true };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== "$") {
      out.value += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === "$") {
      out.value += "$";
      i += 2;
      continue;
    }
    if (next === "{") {
      const end = matchingBrace(text, i + 1);
      if (end === -1) {
        out.value += text.slice(i);
        break;
      }
      out.hasReference = true;
      substitute(text.slice(i + 2, end), text.slice(i, end + 1), variables, out, depth);
      i = end + 1;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i + 1));
    if (name) {
      out.hasReference = true;
      const known = variables.get(name[0]);
      if (known !== undefined) out.value += known;
      else {
        out.unresolved = true;
        out.value += `$${name[0]}`;
      }
      out.references.push({ name: name[0], ...(known !== undefined ? { value: known } : {}) });
      i += 1 + name[0].length;
      continue;
    }
    out.value += c;
    i++;
  }
  return out;
}

/** One `${…}` reference: its body (between the braces) and the text as written. */
function substitute(body: string, written: string, variables: Variables, out: Interpolated, depth: number): void {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([\s\S]*))?$/.exec(body);
  if (!m) {
    out.unresolved = true;
    out.value += written;
    out.references.push({ name: body });
    return;
  }
  const [, name, op, arg = ""] = m;
  const known = variables.get(name);
  // `:-`, `:?`, `:+` treat an empty value as unset; `-`, `?`, `+` only an absent one.
  const set = known !== undefined && (op === undefined || !op.startsWith(":") || known !== "");
  const nested = (t: string) => {
    const inner = interpolate(t, variables, depth + 1);
    out.references.push(...inner.references);
    if (inner.unresolved) out.unresolved = true;
    return inner.value;
  };
  const ref: Interpolated["references"][number] = { name, ...(known !== undefined ? { value: known } : {}) };
  out.references.push(ref);
  switch (op?.replace(":", "")) {
    case undefined:
    case "?":
      if (set) out.value += known;
      else {
        out.unresolved = true;
        out.value += written;
      }
      return;
    case "-": {
      if (set) {
        out.value += known;
        return;
      }
      const d = nested(arg);
      ref.default = d;
      out.defaults.push(d);
      out.value += d;
      return;
    }
    case "+":
      if (known === undefined) {
        out.unresolved = true; // set or not by the shell: unknown
        out.value += written;
      } else out.value += set ? nested(arg) : "";
      return;
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

/** The value compose uses: variables and defaults substituted; undefined when some reference has neither. */
export function withDefaults(text: string, variables: Variables = NO_VARIABLES): string | undefined {
  const r = interpolate(text, variables);
  return r.unresolved ? undefined : r.value;
}

export interface EnvFileEntry {
  name: string;
  /** The value, quotes and a trailing ` # comment` removed. */
  value: string;
  /** The quote it was written in, if any (single quotes are not interpolated). */
  quote: '"' | "'" | undefined;
  line: number;
}

/** `KEY=value` lines of an env file (`export KEY=value`, quotes and trailing ` # comments` removed). */
export function envFileEntries(text: string): EnvFileEntry[] {
  const out: EnvFileEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    // (`=([\s\S]*)`, not `=\s*(.*)`: `.` stops at U+2028, and `\s*` before it backtracks over blanks)
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=([\s\S]*)$/.exec(raw);
    if (!m) return;
    let value = m[2].trim();
    const q = value[0];
    let quote: EnvFileEntry["quote"];
    if ((q === '"' || q === "'") && value.indexOf(q, 1) > 0) {
      value = value.slice(1, value.indexOf(q, 1));
      quote = q;
    } else value = value.replace(/(?<!\s)\s+#[\s\S]*$/, ""); // a comment starts after blanks: tried once per run of them
    out.push({ name: m[1], value, quote, line: i + 1 });
  });
  return out;
}

/** The variables a `.env` file sets, its values interpolated with the ones set before them (as compose reads it). */
export function dotenvVariables(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const e of envFileEntries(text)) {
    vars.set(e.name, e.quote === "'" || !e.value.includes("$") ? e.value : interpolate(e.value, vars).value);
  }
  return vars;
}
