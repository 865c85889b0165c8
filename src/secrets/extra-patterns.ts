// Token formats SPEC names that secretlint's recommended preset does not cover (or covers too
// narrowly). Each is small, anchored on a fixed prefix, and modelled on gitleaks' rule of the
// same name. Everything else comes from the preset (see ./tokens.ts).
import { isPlaceholder } from "./placeholder.js";

export interface TokenMatch {
  /** Offsets into the scanned text of the secret value: [start, end). */
  start: number;
  end: number;
  /** What was found, for messages: "AWS access key", "GitHub token", "private key", "basic auth in URL" … */
  kind: string;
  /** The secretlint rule id that found it, or `bulkhead/<name>` for the patterns in this file. */
  ruleId: string;
  /**
   * A shape rather than a format (a password in a database URL, an .npmrc auth value): as likely
   * an illustration as a credential, so not a high-confidence report where only those count.
   */
  generic?: boolean;
}

interface ExtraPattern {
  ruleId: string;
  kind: string;
  /** A cheap regex source that matches wherever `find` could report. */
  trigger: string;
  find(text: string): TokenMatch[];
}

const TOKEN_CHAR = "A-Za-z0-9_-";

function simple(ruleId: string, kind: string | ((m: RegExpExecArray) => string), trigger: string, re: RegExp): ExtraPattern {
  return {
    ruleId,
    kind: typeof kind === "string" ? kind : ruleId,
    trigger,
    find(text) {
      const out: TokenMatch[] = [];
      for (const m of text.matchAll(re)) {
        if (isPlaceholder(m[0])) continue;
        out.push({ start: m.index!, end: m.index! + m[0].length, kind: typeof kind === "string" ? kind : kind(m), ruleId });
      }
      return out;
    },
  };
}

/** A JWT's header is base64url JSON with an `alg`; that check keeps `eyJ….eyJ….x` look-alikes out. */
function isJwtHeader(b64url: string): boolean {
  try {
    const header: unknown = JSON.parse(Buffer.from(b64url, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && typeof (header as { alg?: unknown }).alg === "string";
  } catch {
    return false;
  }
}

// JWT (gitleaks `jwt`): header.payload.signature, both JSON parts base64url (`eyJ` = `{"`).
// Unsigned (`alg: none`) tokens are not bearer credentials anywhere sane and are skipped.
const JWT = /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{8,})\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}(?![A-Za-z0-9_-])/g;
const jwt: ExtraPattern = {
  ruleId: "bulkhead/jwt",
  kind: "JWT",
  // Only at the start of a run of token characters, like JWT itself: unanchored, the run after
  // each `eyJ` inside a long run would be rescanned (quadratic on `eyJeyJeyJ…`).
  trigger: String.raw`(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.eyJ`,
  find(text) {
    const out: TokenMatch[] = [];
    for (const m of text.matchAll(JWT)) {
      if (!isJwtHeader(m[1]!)) continue;
      out.push({ start: m.index!, end: m.index! + m[0].length, kind: "JWT", ruleId: "bulkhead/jwt" });
    }
    return out;
  },
};

// Stripe secret and restricted keys (gitleaks `stripe-access-token`); test-mode keys too, they
// read and write the account's test data. Publishable keys (pk_…) are public by design.
const stripe = simple(
  "bulkhead/stripe",
  (m) => (m[1] === "rk" ? "Stripe restricted key" : "Stripe secret key"),
  String.raw`[sr]k_(?:live|test|prod)_`,
  new RegExp(String.raw`(?<![${TOKEN_CHAR}])(sk|rk)_(?:live|test|prod)_[A-Za-z0-9]{20,247}(?![${TOKEN_CHAR}])`, "g"),
);

// Google Cloud API keys (gitleaks `gcp-api-key`). secretlint's gcp rule only knows service-account
// JSON files; their embedded private_key is caught by the private-key pattern below as well.
const gcpApiKey = simple(
  "bulkhead/gcp-api-key",
  "GCP API key",
  String.raw`AIza[0-9A-Za-z_-]{35}`,
  new RegExp(String.raw`(?<![${TOKEN_CHAR}])AIza[0-9A-Za-z_-]{35}(?![${TOKEN_CHAR}])`, "g"),
);

// GitLab tokens besides personal access tokens (glpat-, in the preset): pipeline trigger,
// deploy, runner authentication and runner registration tokens (gitleaks `gitlab-*`).
const gitlab = simple(
  "bulkhead/gitlab",
  "GitLab token",
  String.raw`glptt-|gldt-|glrt-|GR1348941`,
  new RegExp(
    String.raw`(?<![${TOKEN_CHAR}])(?:glptt-[0-9a-f]{40}|gldt-[${TOKEN_CHAR}]{20,64}|glrt-[${TOKEN_CHAR}]{20,64}|GR1348941[${TOKEN_CHAR}]{20,64})(?![${TOKEN_CHAR}])`,
    "g",
  ),
);

// Private-key blocks (gitleaks `private-key`: a body of at least 64 characters). The preset's
// rule wants 100 base64 characters starting with `MI` or the OpenSSH magic, which misses
// Ed25519 PKCS#8 keys (64 chars, `MC4C…`), EC P-256 SEC1 keys (`MHcC…`), encrypted PKCS#8 and
// PGP blocks. The body must be base64 once whitespace, JSON `\n` escapes and `Key: value`
// headers (Proc-Type, DEK-Info, Version) are removed, so `...` or `<your key>` never count.
export const PEM_BEGIN = /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
const PEM_END = /-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/g;
const MIN_KEY_BODY = 64;
const MAX_KEY_BODY = 20_000;

/** The base64 body of a PEM block: JSON `\n` escapes, `Key: value` headers, whitespace and quotes removed. */
export function privateKeyBody(raw: string): string {
  return raw
    .replace(/\\[nrt]/g, "\n")
    .split("\n")
    .filter((line) => !line.includes(":"))
    .join("")
    .replace(/[\s"']/g, "");
}

const privateKey: ExtraPattern = {
  ruleId: "bulkhead/private-key",
  kind: "private key",
  trigger: String.raw`-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY`,
  find(text) {
    // BEGIN … END pairs found by two linear scans: a lazy `BEGIN[\s\S]*?END` regex is
    // quadratic on a file of many BEGIN lines and no END.
    const out: TokenMatch[] = [];
    let end: RegExpExecArray | null = null;
    PEM_BEGIN.lastIndex = 0;
    PEM_END.lastIndex = 0;
    for (let begin = PEM_BEGIN.exec(text); begin; begin = PEM_BEGIN.exec(text)) {
      const bodyStart = begin.index + begin[0].length;
      if (!end || end.index < bodyStart) {
        PEM_END.lastIndex = bodyStart;
        end = PEM_END.exec(text);
        if (!end) break;
      }
      if (end.index - bodyStart > MAX_KEY_BODY) continue;
      const raw = text.slice(bodyStart, end.index);
      if (raw.includes("-----BEGIN")) continue; // an unterminated block; the next BEGIN gets this END
      PEM_BEGIN.lastIndex = end.index;
      const body = privateKeyBody(raw);
      if (!/^[A-Za-z0-9+/=]+$/.test(body) || body.replace(/=/g, "").length < MIN_KEY_BODY || isPlaceholder(body)) continue;
      const before = text.slice(Math.max(0, begin.index - 64), begin.index);
      const kind = /"private_key"\s*:\s*"$/.test(before) ? "GCP service-account private key" : "private key";
      out.push({ start: begin.index, end: end.index + end[0].length, kind, ruleId: "bulkhead/private-key" });
    }
    return out;
  },
};

/** Private-key blocks with a body of plausible length, as offsets (empty and truncated blocks are not keys). */
export function findPrivateKeys(text: string): TokenMatch[] {
  return text.includes("-----BEGIN") ? privateKey.find(text) : [];
}

export const EXTRA_PATTERNS: readonly ExtraPattern[] = [jwt, stripe, gcpApiKey, gitlab, privateKey];

export const EXTRA_TRIGGER = new RegExp(EXTRA_PATTERNS.map((p) => `(?:${p.trigger})`).join("|"));
