// What counts as a secret-looking name, and which values are literals rather than references,
// paths or placeholders (SPEC §5 "Secret-looking names", "literal", "Settled details").

/** Words that make a name secret wherever they appear (before a non-secret suffix). */
const SECRET_WORDS = new Set([
  "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE",
  "SECRET", "SECRETS", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "APIKEY", "APIKEYS", "AUTH",
]);

/**
 * Secret words that may also close a single lower-case word (`dbpassword`, `authtoken`,
 * `clientsecret`). PASS and AUTH are excluded: `bypass`, `compass`, `oauth` are not secrets.
 */
const SECRET_WORD_ENDINGS = [
  "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS",
];

/**
 * Qualifiers that make a following KEY a secret (API_KEY, SECRET_KEY, PRIVATE_KEY …). A list,
 * not "anything but PUBLIC": SORT_KEY, CACHE_KEY, PARTITION_KEY, S3 object keys are not secrets.
 * GPG/PGP are left out: `ENV GPG_KEY <fingerprint>` in the official language images is a public
 * key id (GPG_PRIVATE_KEY still counts through PRIVATE).
 */
const KEY_QUALIFIERS = new Set([
  "API", "APP", "SECRET", "PRIVATE", "ACCESS", "SIGNING", "SIGN", "SIGNATURE", "ENCRYPTION", "ENCRYPT",
  "DECRYPTION", "DECRYPT", "CRYPTO", "CIPHER", "MASTER", "AUTH", "SESSION", "CLIENT", "HMAC", "JWT",
  "SSH", "TLS", "SSL", "RSA", "LICENSE", "ADMIN", "SERVICE", "ACCOUNT", "SERVER",
  "WEBHOOK", "SHARED", "STORAGE", "ROOT", "DEPLOY", "COOKIE", "CSRF",
]);

/** A last word that says the name holds something about a secret, not the secret itself. */
const NON_SECRET_SUFFIXES = new Set([
  "DIR", "DIRS", "DIRECTORY", "FOLDER", "PATH", "PATHS", "FILE", "FILES", "FILENAME", "URL", "URLS", "URI",
  "ENDPOINT", "HOST", "HOSTNAME", "PORT", "ADDR", "ADDRESS", "NAME", "NAMES", "ID", "IDS", "ARN",
  "ENABLED", "ENABLE", "DISABLED", "DISABLE", "REQUIRED", "TTL", "USER", "USERNAME", "LOGIN", "TYPE",
  "KIND", "MODE", "LENGTH", "LEN", "SIZE", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME",
  "DURATION", "INTERVAL", "AGE", "HEADER", "HEADERS", "FIELD", "PARAM", "REF", "VERSION", "COUNT",
  "ALGORITHM", "ALGORITHMS", "ALG", "ISSUER", "AUDIENCE", "PROVIDER", "METHOD", "STRATEGY", "SCHEME",
  "REGION", "FORMAT", "ENCODING", "PREFIX", "SUFFIX", "POLICY", "LOCATION", "NAMESPACE", "BUCKET",
  "STORE", "BACKEND", "SOURCE", "TEMPLATE", "PATTERN", "REGEX", "FINGERPRINT", "HINT", "LABEL",
  "SELECTOR", "MOUNT", "VOLUME", "MAX", "MIN", "LIMIT", "RETRIES", "DELAY", "ROTATION", "DOMAIN",
  "REDIRECT", "CALLBACK", "REALM", "SCOPE", "SCOPES", "TENANT", "SERVICE", "SERVER", "SERVERS", "PROXY",
  "STATUS", "LEVEL", "CACHE", "ROLE", "ROLES", "GROUP", "OWNER", "EMAIL", "PHONE", "NUMBER", "PERMISSIONS",
]);

/**
 * Split a name into upper-cased words on `_ - .`, any other non-alphanumeric, camelCase and
 * letter/digit boundaries. Pure digit words are dropped (`PASSWORD_2` ends in PASSWORD).
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    // An acronym before a word (HTTPServer). A lookahead, not `([A-Z]+)([A-Z][a-z])`: that one
    // rescans a run of capitals from each of its letters (quadratic on a long upper-case name).
    .replace(/([A-Z])(?=[A-Z][a-z])/g, "$1 ")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "" && !/^[0-9]+$/.test(w))
    .map((w) => w.toUpperCase());
}

function isSecretWord(w: string): boolean {
  if (SECRET_WORDS.has(w)) return true;
  for (const end of SECRET_WORD_ENDINGS) if (w.length > end.length && w.endsWith(end)) return true;
  // One-word compounds: apikey, secretkey, privatekey, accesskey …
  for (const end of ["KEY", "KEYS"]) {
    if (w.endsWith(end) && KEY_QUALIFIERS.has(w.slice(0, -end.length))) return true;
  }
  return false;
}

/**
 * Answers of isSecretName by name. Names repeat across a tree (`password`, `API_KEY`, `token`:
 * 63,000 assignments but few distinct names on the 10k bench tree) and splitting one into words
 * costs about 1 µs. Cleared when full, so it stays small on hostile input.
 */
const secretNameMemo = new Map<string, boolean>();
const SECRET_NAME_MEMO_MAX = 20_000;

/** True when `name` looks like it holds a secret (SPEC "Secret-looking names"). */
export function isSecretName(name: string): boolean {
  let known = secretNameMemo.get(name);
  if (known === undefined) {
    known = computeIsSecretName(name);
    if (secretNameMemo.size >= SECRET_NAME_MEMO_MAX) secretNameMemo.clear();
    secretNameMemo.set(name, known);
  }
  return known;
}

function computeIsSecretName(name: string): boolean {
  const words = nameWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1]!;
  if (NON_SECRET_SUFFIXES.has(last)) return false;
  if (words.some(isSecretWord)) return true;
  // PWD alone is the shell's working directory; DB_PWD is a password.
  if (words.length > 1 && words.includes("PWD")) return true;
  // …_KEY after a qualifier: API_KEY, PRIVATE_KEY, SESSION_KEY; never bare KEY or PUBLIC_KEY.
  if ((last === "KEY" || last === "KEYS") && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]!)) {
    return true;
  }
  return false;
}

// ---- values ----

/** Longer values are never taken for a reference or a template (and regexes stay linear). */
const MAX_TEMPLATE_LENGTH = 1024;

/**
 * One reference: `${VAR}`, `${VAR:-default}`, `${{ expr }}`, `$VAR`, `$$VAR`, `$(VAR)`, `{{ … }}`.
 * A template's body never runs past another `{{` (or `}}`): an unclosed `{{` then costs one scan
 * to the next `{{`, not one to the end of the value for each of them.
 */
const TEMPLATE_BODY = String.raw`(?:[^{}]|\{(?!\{)|\}(?!\}))*`;
const REFERENCE_TOKEN = new RegExp(
  String.raw`\$\{\{${TEMPLATE_BODY}\}\}|\$\{[^{}]+\}|\$\$?[A-Za-z_][A-Za-z0-9_]*|\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\{\{${TEMPLATE_BODY}\}\}`,
  "g",
);

/**
 * True when the whole value is a reference resolved elsewhere: `${VAR}`, `${VAR:-default}`,
 * `$VAR`, `$(VAR)` (Kubernetes), `{{ … }}` (Go/Helm templates), `${{ … }}` (GitHub Actions),
 * or several of them joined by punctuation (`${USER}:${PASS}`).
 */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v === "" || v.length > MAX_TEMPLATE_LENGTH) return false;
  const rest = v.replace(REFERENCE_TOKEN, "");
  return rest.length < v.length && /^[\s:/@.,;_-]*$/.test(rest);
}

/** Whole-value placeholder words, optionally followed by `-here` / `_here`. */
const PLACEHOLDER_WORDS = new Set([
  "changeme", "change-me", "change_me", "changethis", "change-this", "change_this", "replaceme",
  "replace-me", "replace_me", "fillme", "fill-me", "fill_me", "example", "examples", "sample", "dummy",
  "test", "testing", "placeholder", "todo", "tbd", "fixme", "redacted", "hidden", "masked", "none",
  "null", "nil", "undefined", "empty", "secret", "password", "passwd", "pass", "token", "apikey", "api-key",
  "api_key", "key", "value", "string", "fake", "xxx",
]);

/** True when the value is an obvious stand-in, not a real secret (SPEC "placeholder"). */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "") return false;
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower.replace(/[-_]here$/, ""))) return true;
  if (/^your[-_ ]/.test(lower) || /^(?:insert|enter|put|add)[-_ ]?your[-_ ]/.test(lower)) return true;
  // <base64-encoded-content>, {{ … }}
  if (v.length <= MAX_TEMPLATE_LENGTH && (/^<[^<>]*>$/.test(v) || /^\{\{.*\}\}$/s.test(v))) return true;
  // Elided: `…`, `...`, or a value shortened with one (`key_1234…`, `sk_live_...`).
  if (/…|\.{3}/.test(v)) return true;
  // A run of one character, separators aside: *****, xxxxx, 00000, xxxx-xxxx-xxxx.
  const core = v.replace(/[\s._:-]/g, "");
  if (core.length >= 3 && new Set(core.toLowerCase()).size === 1) return true;
  // A masked or elided stretch inside: AKIAXXXXXXXXXXXXXXXX, sk_live_********, ghp_xxxxx…
  if (/([xX*•#])\1{4,}/.test(v)) return true;
  return false;
}

function stripQuotes(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

function isPath(v: string): boolean {
  if (/^(?:\.\.?\/|~\/|[A-Za-z]:[\\/])/.test(v)) return true;
  // A leading `/` is a path, unless the value looks like base64 (`/K7MD+bP==`).
  return v.startsWith("/") && !/[+]/.test(v) && !/=$/.test(v);
}

const BOOLEAN = /^(?:true|false|yes|no|on|off|y|n)$/i;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * True when `value` is a literal that would put a secret in the repo: a non-empty string that
 * is not a reference, a path, a boolean, a number, a placeholder, or accepted by `allow`
 * (the config's `secrets.allow`). Non-strings (YAML numbers, booleans, null) are never literals.
 */
export function isLiteralSecretValue(
  value: string | number | boolean | null | undefined,
  allow?: (v: string) => boolean,
): boolean {
  if (typeof value !== "string") return false;
  const v = stripQuotes(value.trim()).trim();
  if (v === "") return false;
  if (isReference(v) || isPath(v) || BOOLEAN.test(v) || NUMBER.test(v) || isPlaceholder(v)) return false;
  if (allow && (allow(v) || allow(value))) return false;
  return true;
}

/** Longest authority (`user:password@host:port`) read after a `://`. */
const MAX_AUTHORITY = 1024;
/** Longest scheme looked for before a `://` (`postgresql+asyncpg`, `git+ssh`, `mongodb+srv`). */
const MAX_SCHEME = 32;

/**
 * The first URL in `value` whose userinfo holds a literal password (`postgres://u:p@host`,
 * `redis://:p@host`), as offsets of the password within `value`. A password that is a reference
 * (`${DB_PASS}`) or a placeholder (`****`) does not count.
 */
export function urlWithPassword(value: string): { start: number; end: number } | undefined {
  for (const found of urlPasswords(value)) return found;
  return undefined;
}

/**
 * Every URL password in `value`, in order (see urlWithPassword). Linear in the length of
 * `value`: each `://` is found with indexOf, its scheme read back at most MAX_SCHEME characters,
 * and its authority never read past the next `://`. (A scheme regex run from every position,
 * `/[A-Za-z][A-Za-z0-9+.-]*:\/\//g`, rescans a run of letters from each of its characters:
 * 20,000 of them took 2 s, a megabyte twenty minutes.)
 */
export function* urlPasswords(value: string): Generator<{ start: number; end: number }> {
  let next = value.indexOf("://");
  while (next >= 0) {
    const sep = next;
    const authStart = sep + 3;
    next = value.indexOf("://", authStart);
    if (!hasScheme(value, sep)) continue;
    // The authority runs to the first `/`, `?`, `#`, whitespace or quote outside `${…}`.
    const stop = Math.min(value.length, authStart + MAX_AUTHORITY, next < 0 ? Infinity : next);
    let end = authStart;
    let depth = 0;
    for (; end < stop; end++) {
      const c = value[end]!;
      if (c === "{") depth++;
      else if (c === "}") depth = Math.max(0, depth - 1);
      else if (depth === 0 && /[/?#\s"'`<>]/.test(c)) break;
    }
    const authority = value.slice(authStart, end);
    const at = authority.lastIndexOf("@");
    if (at < 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = firstColonOutsideBraces(userinfo);
    if (colon < 0) continue;
    const password = userinfo.slice(colon + 1);
    if (DOCUMENTATION_HOST.test(authority.slice(at + 1).replace(/:\d*$/, ""))) continue;
    if (password === "" || isReference(password) || isPlaceholder(password)) continue;
    const start = authStart + colon + 1;
    yield { start, end: start + password.length };
  }
}

/** Whether a URL scheme (`[A-Za-z][A-Za-z0-9+.-]*`) ends at `sep`: a letter within the run of scheme characters before it. */
function hasScheme(value: string, sep: number): boolean {
  for (let i = sep - 1; i >= 0 && i >= sep - MAX_SCHEME; i--) {
    const c = value.charCodeAt(i);
    const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (letter) return true;
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false; // 0-9 + - .
  }
  return false;
}

/** Hosts reserved for documentation (RFC 2606): credentials in their URLs are examples. */
const DOCUMENTATION_HOST = /(?:^|\.)example\.(?:com|net|org)$|\.(?:example|test|invalid)$|^example$/i;

function firstColonOutsideBraces(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "{") depth++;
    else if (c === "}") depth = Math.max(0, depth - 1);
    else if (c === ":" && depth === 0) return i;
  }
  return -1;
}
