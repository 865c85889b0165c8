// Secrets inside a value that is itself a file: a ConfigMap's `application.properties`, a
// Secret's `config.ini`, `account.json` or kubeconfig. Used by k8s/configmap-secret and
// k8s/committed-secret, so both judge embedded settings by the same value rules.
import { isSecretName, isSettingName } from "./names.js";
import { quote } from "./redact.js";
import { isHighEntropy } from "./entropy.js";
import { findPrivateKeys } from "./extra-patterns.js";
import { urlWithPassword } from "./urls.js";
import { decodedText, isLiteralSecretValue, whyNotSecret } from "./values.js";

export interface EmbeddedSecret {
  /** Index of the line within the text. */
  line: number;
  /** The secret text as written on that line (to locate and mask it). */
  secret: string;
  /** What it is: `sets DB_PASSWORD to a literal secret`, `holds a URL with a literal password`, `holds a private key`. */
  what: string;
}

/** `NAME=value`, `export NAME=value`, `name: value`, `"name": "value",`, `name = value` on one line: the name, then the rest. */
const ASSIGNMENT = /^\s*(?:-\s+)?(?:export\s+)?(["']?)([A-Za-z_][A-Za-z0-9_.\-]*)\1\s*[=:]([\s\S]*)$/;

/**
 * The value after an assignment's `=`/`:`, without surrounding blanks and one trailing `,` or
 * `;` (removed here: a lazy `(.*?)\s*[,;]?\s*$` backtracks quadratically over a run of blanks).
 */
function assignedValue(rest: string): string {
  const v = rest.trim();
  return v.endsWith(",") || v.endsWith(";") ? v.slice(0, -1).trimEnd() : v;
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}

/**
 * Secrets written in `text`: secret-named assignments with a literal value (line by line, or
 * walking the document when it is JSON), URLs with a literal password, and private-key blocks
 * with a body — also base64-encoded ones (a kubeconfig's `client-key-data`). `allow` is the
 * config's `secrets.allow`. With `unnamed`, a random-looking value counts under any name that
 * is not a setting's (in a Secret, `identityKey: BQx1…` is the credential; in a ConfigMap it
 * may as well be a checksum).
 */
export function secretsInText(text: string, allow: (v: string) => boolean, options: { unnamed?: boolean } = {}): EmbeddedSecret[] {
  const hits: EmbeddedSecret[] = [];
  const lines = text.split("\n");
  const json = parseJson(text);
  const lineOf = (needle: string) => Math.max(0, lines.findIndex((l) => l.includes(needle)));
  const judge = (name: string, value: string): string | undefined => {
    if (isSecretName(name)) return isLiteralSecretValue(value, allow, name) ? `sets ${quote(name)} to a literal secret` : undefined;
    if (!options.unnamed || isSettingName(name) || !isHighEntropy(value) || whyNotSecret(value, name) !== undefined || allow(value)) return undefined;
    return `sets ${quote(name)} to a random-looking value`;
  };
  if (json !== undefined) {
    walk(json, "", (name, value) => {
      const what = judge(name, value);
      if (what) hits.push({ line: lineOf(JSON.stringify(value).slice(1, -1)), secret: value, what });
    });
  } else {
    lines.forEach((line, i) => {
      const m = ASSIGNMENT.exec(line);
      if (!m) return;
      const value = unquote(assignedValue(m[3]!));
      const what = judge(m[2]!, value);
      if (what) hits.push({ line: i, secret: value, what });
    });
  }
  const taken = new Set(hits.map((h) => h.line));
  lines.forEach((line, i) => {
    if (taken.has(i)) return;
    const url = urlWithPassword(line);
    if (url && !allow(line.slice(url.start, url.end))) {
      hits.push({ line: i, secret: line.slice(url.start, url.end), what: "holds a URL with a literal password" });
      taken.add(i);
    }
  });
  const lineAt = lineCounter(text);
  for (const key of findPrivateKeys(text)) {
    const line = lineAt(key.start);
    if (!taken.has(line)) hits.push({ line, secret: lines[line]!.trim(), what: "holds a private key" });
  }
  // base64 inside (kubeconfig `client-key-data: LS0tLS1CRUdJTi…`)
  const encodedAt = lineCounter(text);
  for (const m of text.matchAll(/LS0tLS1CRUdJTi[A-Za-z0-9+/=]{60,}/g)) {
    const decoded = decodedText(m[0]);
    if (decoded === undefined || findPrivateKeys(decoded).length === 0) continue;
    const line = encodedAt(m.index);
    if (!taken.has(line)) hits.push({ line, secret: m[0], what: "holds a base64-encoded private key" });
  }
  return hits.sort((a, b) => a.line - b.line);
}

/**
 * The line index of an offset, for offsets asked in increasing order: counted on from the last
 * one (counting from the start for each of thousands of keys in a megabyte is quadratic).
 */
export function lineCounter(text: string): (offset: number) => number {
  let at = 0;
  let line = 0;
  return (offset) => {
    for (let nl = text.indexOf("\n", at); nl >= 0 && nl < offset; nl = text.indexOf("\n", at)) {
      line++;
      at = nl + 1;
    }
    return line;
  };
}

function parseJson(text: string): unknown {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

/** Every string value of a JSON document, with the key it is under. */
function walk(value: unknown, key: string, visit: (name: string, value: string) => void): void {
  if (typeof value === "string") visit(key, value);
  else if (Array.isArray(value)) for (const v of value) walk(v, key, visit);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) walk(v, k, visit);
}
