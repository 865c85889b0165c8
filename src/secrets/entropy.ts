// Shannon entropy, for "a secret-named assignment with a high-entropy literal" (repo/hardcoded-secret).
import { isPlaceholder } from "./names.js";

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
  if (v.length < 16 || /\s/.test(v) || v.includes("://") || isPlaceholder(v)) return false;
  const hex = v.replace(/-/g, "");
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    return hex.length >= 16 && /[0-9]/.test(hex) && /[a-fA-F]/.test(hex) && entropy(hex) >= 0.8 * Math.log2(16);
  }
  // A slug of words and numbers (`production-database-01`) is a name, however varied its letters.
  if (v.split(/[-_./:+]/).every((part) => /^(?:[a-z]*|[A-Z]*|[A-Z]?[a-z]*|[0-9]*)$/.test(part))) return false;
  const lower = /[a-z]/.test(v);
  const upper = /[A-Z]/.test(v);
  const digit = /[0-9]/.test(v);
  if (!(digit && (lower || upper)) && !(lower && upper)) return false;
  // Short strings are held close to their maximum; long random ones comfortably exceed 4.2 bits.
  return entropy(v) >= Math.min(0.85 * Math.log2(Array.from(v).length), 4.2);
}
