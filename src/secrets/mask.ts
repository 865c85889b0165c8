// Secret values are never printed in full (SPEC §4): at most the first 4 characters, then `…`
// and the length. Every module that shows a secret-ish value goes through here.

/**
 * `"hunter2hunter2"` → `"hunt…(14 chars)"`. A value of 4 characters or fewer shows none of
 * them, and a short one never more than half (`"abcdef"` → `"abc…(6 chars)"`).
 */
export function maskSecret(value: string): string {
  const chars = Array.from(value); // count and cut by code point, never half a surrogate pair
  const n = chars.length;
  const shown = n > 4 ? chars.slice(0, Math.min(4, Math.floor(n / 2))).join("") : "";
  return `${shown}…(${n} ${n === 1 ? "char" : "chars"})`;
}

