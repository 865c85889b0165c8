// Stand-ins: values written where a secret will go, or to show what one looks like, that are not
// one themselves (SPEC §5 "placeholder"). Each shape below was seen on real repositories; the
// cases under rules/*/cases/ok.* hold one of each.
import { boundedMemo } from "../memo.js";

/** Longer values are never taken for a template (and the regexes below stay linear). */
export const MAX_TEMPLATE_LENGTH = 1024;

/** Whole-value placeholder words, optionally followed by `-here` / `_here`. */
const PLACEHOLDER_WORDS = new Set([
  "changeme", "change-me", "change_me", "changethis", "change-this", "change_this", "changeit", "change-it",
  "replaceme", "replace-me", "replace_me", "fillme", "fill-me", "fill_me", "example", "examples", "sample",
  "dummy", "demo", "test", "testing", "placeholder", "todo", "tbd", "fixme", "redacted", "hidden", "masked",
  "none", "null", "nil", "undefined", "empty", "secret", "password", "passwd", "pass", "token", "apikey",
  "api-key", "api_key", "key", "value", "string", "fake", "xxx", "foo", "bar", "baz", "foobar", "qux",
  // The internet's stock example password (bash.org), used as such in test suites.
  "hunter2",
]);

/** Words that say what a value stands for; a value made of words that include one describes itself. */
const SECRET_STEMS = /password|passwd|passphrase|secret|token|apikey|credential|creds/;

/** Markers that no random secret contains and every template does (case-insensitive). */
const MARKER = /example|placeholder|redacted|changeme|change_me|change-me|replace_me|replace-me|replaceme|dummy|goes[ _-]here|[-_ ]here$|^your[-_ ]|[-_]your[-_]|^(?:insert|enter|put|add)[-_ ]?your[-_ ]|not[-_ ]a[-_ ]real/i;

/** `your…` only when a separator, a capital or what the value stands for follows (`yourself` is a word). */
const YOUR = /^your(?:[-_ .]|[A-Z]|(?:password|passwd|pass|secret|token|key|apikey|api|user|username|login|email|mail|name|id|account|domain|host|value|app|client|org|project)(?![a-z]))/;

/**
 * True when the value is an obvious stand-in, not a real secret (SPEC "placeholder"): a
 * placeholder word, a template marker (`<…>`, `[…]`, `{{…}}`, `EXAMPLE`, `your-…`, `…_here`), an
 * elided or masked value, a run of one character, counting sequences (`12345678`, `abcd1234`), a
 * word repeated (`testtest`), a value made of words that name what it stands for (`my-password`,
 * `changePassword`, `supersecret`, `OIDC_CLIENT_SECRET`), a sentence about it (`the secret
 * password`, `**access token goes here**`), or a token prefix followed by a capitalised word
 * (`nvapi-NVKEY`, `sk-ant-api03-PLACEHOLDER`).
 */
export function isPlaceholder(value: string): boolean {
  return value.length <= MEMO_MAX_LENGTH ? memoizedIsPlaceholder(value) : computeIsPlaceholder(value);
}

// Remembered by value: the same value is judged several times, by several rules (k8s/committed-secret
// asks about a Secret's value as written, decoded, then through whyNotSecret and isHighEntropy),
// and about twenty patterns and string operations per call add up (on the benchmark's 10k tree,
// 8,649 calls for 4,357 distinct values). Long values (file contents, blobs) are not kept.
const MEMO_MAX_LENGTH = 256;
const memoizedIsPlaceholder = boundedMemo(computeIsPlaceholder);

function computeIsPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v === "" || v.length > MAX_TEMPLATE_LENGTH) return false;
  // A file's content (a PEM block, a kubeconfig, a config file) is judged line by line by the
  // rules, never as a whole: its words are not a sentence about a secret.
  if (v.includes("\n")) return /^<[^<>]*>$/.test(v) || /^\{\{.*\}\}$/s.test(v);
  const lower = v.toLowerCase();
  if (PLACEHOLDER_WORDS.has(lower.replace(/[-_]here$/, ""))) return true;
  if (MARKER.test(v) || YOUR.test(v)) return true;
  // <base64-encoded-content>, {{ … }}, [PASSWORD], %PASSWORD%, __PASSWORD__, @PASSWORD@, and `<name>` inside (`<myemail>@gmail.com`).
  if (/^<[^<>]*>$/.test(v) || /^\{\{.*\}\}$/s.test(v) || /^\[[^[\]]*\]$/.test(v)) return true;
  if (/^(%|__|@)[A-Za-z][A-Za-z0-9_.-]*\1$/.test(v) || /<[A-Za-z][A-Za-z0-9 _-]*>/.test(v)) return true;
  // Elided: `…`, `...`, or a value shortened with one (`key_1234…`, `sk_live_...`).
  if (/…|\.{3}/.test(v)) return true;
  // A run of one character, separators aside: *****, xxxxx, 00000, xxxx-xxxx-xxxx.
  const core = v.replace(/[\s._:-]/g, "");
  if (core.length >= 3 && new Set(core.toLowerCase()).size === 1) return true;
  // A masked or elided stretch inside: AKIAXXXXXXXXXXXXXXXX, sk_live_********, ghp_xxxxx…
  if (/([xX*•#])\1{4,}/.test(v) || /[^A-Za-z0-9]x{3,}$/i.test(v)) return true;
  return isCounting(v) || isRepeatedWord(v) || isSelfDescribing(v) || isSentenceAboutSecret(v) || /^[a-z0-9]+(?:[-_][a-z0-9]+)*[-_][A-Z][A-Z_]{2,}$/.test(v);
}

/**
 * Counting sequences typed by hand: one ascending run of 6 or more (`123456`, `abcdef`), or two of
 * 4 or more (`abcd1234`), once doubled characters are collapsed (`aabbccdd0011` is `abcd01`).
 * A random token of 40 characters holds a run of 4 about once in 6,000.
 */
function isCounting(v: string): boolean {
  const s = v.toLowerCase().replace(/(.)\1+/g, "$1");
  let run = 1;
  let long = 0;
  let four = 0;
  for (let i = 1; i <= s.length; i++) {
    const next = i < s.length && /[a-z0-9]/.test(s[i]!) && s.charCodeAt(i) === s.charCodeAt(i - 1) + 1;
    if (next) {
      run++;
      continue;
    }
    if (run >= 6) long++;
    if (run >= 4) four++;
    run = 1;
  }
  return long > 0 || four >= 2;
}

/** A short unit typed twice or more: `testtest`, `abcabcabc`, `secretsecret`. */
function isRepeatedWord(v: string): boolean {
  const m = /^([A-Za-z]{2,8})\1+$/.exec(v);
  return m !== null;
}

/**
 * A value spelled out of words — letters only, in any case, joined by nothing, `-`, `_` or `.`,
 * maybe ending in digits or punctuation (`newRootPassword123`, `mysecret12345678`) — that names
 * what it stands for: `my-password`, `changePassword`, `supersecretpassword`, `OIDC_CLIENT_SECRET`,
 * `access_key:secret_access_key`' second half, `broker_keystore_creds`.
 */
function isSelfDescribing(v: string): boolean {
  const letters = v.replace(/[-_.]/g, "").replace(/[0-9!#$%^&*?@]+$/, "");
  if (!/^[A-Za-z]{4,}$/.test(letters)) return false;
  return SECRET_STEMS.test(letters.toLowerCase()) || /^(?:my|your|the|some|test|dummy|fake|super)(?:pass|pwd|pw|key)$/i.test(letters);
}

/** Several words, one of which says what the value is: `the secret password`, `shhhh! it's a github secret`. */
function isSentenceAboutSecret(v: string): boolean {
  const words = v.split(/\s+/).map((w) => w.replace(/^[^A-Za-z]+|[^A-Za-z]+$/g, "").toLowerCase());
  return words.length >= 2 && words.some((w) => /^(?:password|passwd|secret|token|key|credentials?|api|here|value)$/.test(w));
}

/**
 * An environment-variable or constant name (`OIDC_CLIENT_SECRET`, `HF_TOKEN`, `DB_PASSWORD` in
 * `postgres://DB_USER:DB_PASSWORD@db`): written where the value will come from, not the value.
 */
export function isVariableName(value: string): boolean {
  return /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value) && /[A-Z]{2}/.test(value);
}
