// Passwords in URLs (`postgres://u:p@host`): a secret whatever the variable holding the URL is called.
import { isPlaceholder, isVariableName } from "./placeholder.js";
import { isReference } from "./reference.js";

const MAX_AUTHORITY = 1024;

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
  if (!value.includes("://")) return undefined;
  // A scheme of at most 32 characters: unbounded, a long run of letters costs quadratic time.
  const scheme = /[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\//g;
  for (let m = scheme.exec(value); m; m = scheme.exec(value)) {
    const authStart = m.index + m[0].length;
    // The authority runs to the first `/`, `?`, `#`, whitespace or quote outside `${…}`
    // (and is never longer than MAX_AUTHORITY, which keeps this linear on odd input).
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
    return { start, end: start + password.length };
  }
  return undefined;
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
