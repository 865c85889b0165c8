// Where the comments of a file are, by kind of file: a suppression directive counts only in a
// comment, never in a string value (a ConfigMap value, a JSON description, an echo in a RUN) that
// merely holds the words. YAML comments come from the yaml library's parser (it knows quoted
// and block scalars); JSON has none; line-oriented formats use a small scanner.
import type { SourceFile } from "../types.js";
import { withoutEnvironment } from "../parsers/yaml.js";
import { yamlLib } from "../parsers/yaml-lib.js";

export interface Comment {
  /** Offset of the comment marker (`#` or `//`) in the file's text. */
  offset: number;
  /** The comment from its marker to the end of its line (no line break). */
  text: string;
}

/** Prose formats where `#` is a heading, not a comment. */
const PROSE = /\.(?:md|markdown|mdx|rst|adoc|txt|html?)$/i;

interface LineSyntax {
  /** `//` starts a comment too (source code), not only `#`. */
  slashes: boolean;
  /** A comment only on a line of its own (`.gitignore`: `a #b` is a pattern). */
  wholeLine: boolean;
  /** When a quote left open at the end of a line is still open on the next one. */
  carryQuotes: "never" | "continuation" | "always";
}

const HASH_LINES: Record<string, LineSyntax> = {
  // A Dockerfile comment is a line of its own; after whitespace inside RUN it is the shell's.
  dockerfile: { slashes: false, wholeLine: false, carryQuotes: "continuation" },
  // dotenv values may be quoted across lines.
  dotenv: { slashes: false, wholeLine: false, carryQuotes: "always" },
  gitignore: { slashes: false, wholeLine: true, carryQuotes: "never" },
  dockerignore: { slashes: false, wholeLine: true, carryQuotes: "never" },
};
const SOURCE_LINES: LineSyntax = { slashes: true, wholeLine: false, carryQuotes: "continuation" };

/**
 * The comments of a file that may hold `marker` (the caller's cheap pre-check; comments without
 * it may be left out): YAML's per the YAML grammar, none in JSON or prose, and elsewhere a `#`
 * (or `//` in source code) at the start of a line or after whitespace, outside quotes.
 */
export function commentsOf(file: SourceFile, marker: string): Comment[] {
  if (PROSE.test(file.path) || /\.json$/i.test(file.path)) return [];
  if (file.kind === "yaml" || file.kind === "compose" || /\.ya?ml$/i.test(file.path)) return yamlComments(file.text);
  return lineComments(file.text, HASH_LINES[file.kind] ?? SOURCE_LINES, marker);
}

/** Every comment token of the yaml library's concrete syntax tree (all documents). */
function yamlComments(text: string): Comment[] {
  const out: Comment[] = [];
  const walk = (token: unknown): void => {
    if (Array.isArray(token)) {
      for (const t of token) walk(t);
    } else if (token !== null && typeof token === "object") {
      const t = token as { type?: unknown; offset?: unknown; source?: unknown };
      if (t.type === "comment" && typeof t.offset === "number" && typeof t.source === "string") out.push({ offset: t.offset, text: t.source.replace(/\r$/, "") });
      else for (const value of Object.values(token)) if (value !== null && typeof value === "object") walk(value);
    }
  };
  withoutEnvironment(() => {
    for (const token of new (yamlLib().Parser)().parse(text)) walk(token);
  });
  return out;
}

function lineComments(text: string, syntax: LineSyntax, marker: string): Comment[] {
  const out: Comment[] = [];
  let quote = ""; // the open quote character, if any
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const line = text.slice(start, end).replace(/\r$/, "");
    const continued = syntax.carryQuotes === "always" || (syntax.carryQuotes === "continuation" && line.endsWith("\\"));
    // A line that cannot hold a comment with the marker, and whose quotes end with it: nothing to scan.
    if (quote !== "" || continued || line.includes(marker)) {
      let afterSpace = true;
      for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote !== "") {
          if (c === "\\" && quote === '"') i++;
          else if (c === quote) quote = "";
        } else if (afterSpace && (c === "#" || (syntax.slashes && c === "/" && line[i + 1] === "/"))) {
          if (!syntax.wholeLine || line.slice(0, i).trim() === "") out.push({ offset: start + i, text: line.slice(i) });
          break;
        } else if (c === '"' || c === "'") {
          quote = c;
        }
        afterSpace = c === " " || c === "\t";
      }
    }
    if (!continued) quote = "";
    start = end + 1;
  }
  return out;
}
