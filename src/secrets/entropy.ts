// Shannon entropy, for "a secret-named assignment with a high-entropy literal" (repo/hardcoded-secret).
import { isPlaceholder } from "./placeholder.js";
import { decodedText } from "./values.js";

/** Shannon entropy of `value` in bits per character (code point); 0 for the empty string. */
export function entropy(value: string): number {
  const chars = Array.from(value);
  if (chars.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / chars.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * True when `value` looks like a random token rather than a word, name, path or sentence:
 * at least 16 characters, no whitespace, not a URL or placeholder, and an entropy close to the
 * most its length allows (n distinct symbols give log2(n) bits/char), capped at 4.2 bits/char.
 * Hex (UUIDs included) is judged against its 16-symbol alphabet; anything else must mix
 * character classes (digits, or both cases) so `abcdefghijklmnopqrstuvwxyz` does not pass.
 */
export function isHighEntropy(value: string): boolean {
  const v = value.trim();
  // Base64 of printable text is judged by that text (`c3Ryb25nLXBhc3N3b3Jk` is `strong-password`).
  const decoded = decodedText(v);
  if (decoded !== undefined) return isHighEntropy(decoded);
  if (v.length < 16 || /\s/.test(v) || v.includes("://") || isPlaceholder(v)) return false;
  const hex = v.replace(/-/g, "");
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    return hex.length >= 16 && /[0-9]/.test(hex) && /[a-fA-F]/.test(hex) && entropy(hex) >= 0.8 * Math.log2(16);
  }
  // Words and numbers (`production-database-01`, `WebIdentityToken`, `Invalid-AccessID`) make a name,
  // however varied its letters.
  if (isWords(v)) return false;
  const lower = /[a-z]/.test(v);
  const upper = /[A-Z]/.test(v);
  const digit = /[0-9]/.test(v);
  if (!(digit && (lower || upper)) && !(lower && upper)) return false;
  // Short strings are held close to their maximum; long random ones comfortably exceed 4.2 bits.
  return entropy(v) >= Math.min(0.85 * Math.log2(Array.from(v).length), 4.2);
}

/**
 * True when `v` reads as words: split on separators, camelCase and digits, its letter pieces
 * average 3.5 letters or more and digits come in at most two pieces. A random token splits into
 * many short pieces (`u4ccRswj62HV3Ifwima7`: u, cc, Rswj, HV, Ifwima, with 4 digit pieces).
 */
function isWords(v: string): boolean {
  const pieces = v
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== "");
  const letters = pieces.filter((p) => /^[A-Za-z]+$/.test(p));
  const digits = pieces.length - letters.length;
  if (letters.length === 0) return false;
  const mean = letters.reduce((n, p) => n + p.length, 0) / letters.length;
  return mean >= 3.5 && digits <= 2;
}
