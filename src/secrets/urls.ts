// Passwords in URLs (`postgres://u:p@host`): a secret whatever the variable holding the URL is called.
import { isPlaceholder, isVariableName } from "./placeholder.js";
import { isReference } from "./reference.js";
import { maskSecret } from "./mask.js";

/** Longest authority (`user:password@host:port`) read after a `://`. */
const MAX_AUTHORITY = 1024;
/** Longest scheme looked for before a `://` (`postgresql+asyncpg`, `git+ssh`, `mongodb+srv`). */
const MAX_SCHEME = 32;

/**
 * The first URL in `value` whose userinfo holds a literal password (`postgres://u:p@host`,
 * `redis://:p@host`), as offsets of the password within `value`. Not counted: a password that is
 * a reference (`${DB_PASS}`), a placeholder (`****`, `<password>`) or a variable name
 * (`DB_USER:DB_PASSWORD@`); one equal to the user name, maybe with digits after it
 * (`minioadmin:minioadmin`, `guest:guest`, `minio:minio123`: a product's default or test login,
 * not a secret); and URLs to documentation hosts (RFC 2606) or to
 * the loopback interface (`localhost`, `127.0.0.1`, `[::1]`: a developer's local server).
 */
export function urlWithPassword(value: string): { start: number; end: number } | undefined {
  for (const found of urlPasswords(value)) return found;
  return undefined;
}

/**
 * Every URL password in `value`, in order (see urlWithPassword). Linear in the length of
 * `value`: each `://` is found with indexOf, its scheme read back at most MAX_SCHEME characters,
 * and its authority at most MAX_AUTHORITY forward. (A scheme regex run from every position,
 * `/[A-Za-z][A-Za-z0-9+.-]*:\/\//g`, rescans a run of letters from each of its characters:
 * 20,000 of them took 2 s, a megabyte twenty minutes.)
 */
export function* urlPasswords(value: string): Generator<{ start: number; end: number }> {
  for (let sep = value.indexOf("://"); sep >= 0; sep = value.indexOf("://", sep + 3)) {
    if (!hasScheme(value, sep)) continue;
    const authStart = sep + 3;
    // The authority runs to the first `/`, `?`, `#`, whitespace or quote outside `${…}`.
    let end = authStart;
    let depth = 0;
    for (const stop = Math.min(value.length, authStart + MAX_AUTHORITY); end < stop; end++) {
      const c = value[end]!;
      if (c === "{") depth++;
      else if (c === "}") depth = Math.max(0, depth - 1);
      else if (depth === 0 && /[/?#\s"'`<>\\]/.test(c)) break;
    }
    const authority = value.slice(authStart, end);
    const at = authority.lastIndexOf("@");
    if (at < 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = firstColonOutsideBraces(userinfo);
    if (colon < 0) continue;
    const password = userinfo.slice(colon + 1);
    // The host without its port (`:9000`, `:${PORT}`, `:$((port + 1))`); IPv6 hosts keep their brackets.
    const host = authority.slice(at + 1).replace(/^(\[[^\]]*\]|[^:]*):.*$/, "$1");
    if (DOCUMENTATION_HOST.test(host) || LOOPBACK_HOST.test(host)) continue;
    if (password === "" || isDefaultLogin(userinfo.slice(0, colon), password) || isReference(password) || isPlaceholder(password) || isVariableName(password)) continue;
    const start = authStart + colon + 1;
    yield { start, end: start + password.length };
  }
}

/** Whether a URL scheme (`[A-Za-z][A-Za-z0-9+.-]*`) ends at `sep`: a letter within the MAX_SCHEME scheme characters before it. */
function hasScheme(value: string, sep: number): boolean {
  for (let i = sep - 1; i >= 0 && i >= sep - MAX_SCHEME; i--) {
    const c = value.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) return true;
    if (!((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46)) return false; // 0-9 + - .
  }
  return false;
}

/** Hosts reserved for documentation (RFC 2606): credentials in their URLs are examples. */
const DOCUMENTATION_HOST = /(?:^|\.)example\.(?:com|net|org)$|\.(?:example|test|invalid)$|^example$/i;

/** A product's default or test login: the password is the user name, maybe followed by digits (`guest:guest`, `minio:minio123`). */
function isDefaultLogin(user: string, password: string): boolean {
  return user !== "" && password.startsWith(user) && /^\d*$/.test(password.slice(user.length));
}

/** The loopback interface (and the unspecified address, which local servers bind). */
const LOOPBACK_HOST = /^(?:localhost\.?|127(?:\.\d{1,3}){3}|\[::1?\]|0\.0\.0\.0)$/i;

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

/**
 * A URL fit for a message: its userinfo (`user:password@`, a token used as the user name such as
 * `https://ghp_…@github.com`) masked, since any credential in a URL is one; long URLs shortened.
 */
export function displayUrl(url: string, max = 100): string {
  const shown = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#\s]+)@/i, (_m, scheme: string, userinfo: string) => `${scheme}${maskSecret(userinfo)}@`);
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}
