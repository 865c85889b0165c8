// Known token formats (repo/hardcoded-secret, and any rule asking "is this value a token?").
// The patterns are secretlint's recommended preset — a maintained, documented list — run through
// @secretlint/core, plus a few formats SPEC names that the preset lacks (./extra-patterns.ts).
// A cheap prefilter, derived rule by rule from the preset, keeps files without any candidate
// away from secretlint altogether.
import type { lintSource } from "@secretlint/core";
import { rules as presetRules } from "@secretlint/secretlint-rule-preset-recommend";
import { EXTRA_PATTERNS, EXTRA_TRIGGER, type TokenMatch } from "./extra-patterns.js";
import { isPlaceholder } from "./placeholder.js";
import { urlWithPassword } from "./urls.js";
import { isDocumentationKey, isLiteralSecretValue, isPublishableKey } from "./values.js";

export { findPrivateKeys, type TokenMatch } from "./extra-patterns.js";
export { entropy, isHighEntropy } from "./entropy.js";

type LintOptions = Parameters<typeof lintSource>[0];
type CoreConfig = LintOptions["options"]["config"];
type CoreMessage = Awaited<ReturnType<typeof lintSource>>["messages"][number];

const RULE = (name: string) => `@secretlint/secretlint-rule-${name}`;

/**
 * For every rule of the preset, a regex that matches wherever that rule could report (a
 * superset of its own pattern, usually its fixed prefix). `null`: the rule is not run.
 * A preset rule missing here turns the prefilter off (see PREFILTER_COMPLETE), so upgrading
 * secretlint can cost speed but never findings.
 */
const TRIGGERS: Record<string, { cs?: string; ci?: string } | null> = {
  [RULE("aws")]: {
    cs: String.raw`(?:A3T[A-Z0-9]|AKIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|ASIA)[A-Z0-9]{16}`,
    ci: String.raw`secret_?access_?key`,
  },
  [RULE("gcp")]: { cs: String.raw`"private_key_id"` }, // service-account JSON (.json files only)
  [RULE("privatekey")]: { cs: String.raw`-----BEGIN[ A-Z]{0,20}PRIVATE KEY` },
  [RULE("npm")]: { cs: String.raw`x-oauth-basic@|_authToken=|npm_[A-Za-z0-9_]{36}` },
  // user:password@ in any URL: basic auth and database connection strings alike.
  [RULE("basicauth")]: { ci: String.raw`:\/\/[^:\/\s]{1,256}:[^@\/\s]{1,256}@` },
  [RULE("database-connection-string")]: { ci: String.raw`:\/\/[^:\/\s]{1,256}:[^@\/\s]{1,256}@` },
  [RULE("slack")]: { cs: String.raw`\b(?:xox[bpaor]|xapp)-`, ci: String.raw`hooks\.slack\.com\/services\/` },
  [RULE("sendgrid")]: { cs: String.raw`SG\.\w{1,128}\.` },
  [RULE("shopify")]: { cs: String.raw`shp(?:pa|ca|at|ss)_` },
  [RULE("github")]: { cs: String.raw`gh[pousr]_[A-Za-z0-9_]{36}|github_pat_` },
  [RULE("gitlab")]: { cs: String.raw`glpat-` },
  [RULE("grafana")]: { cs: String.raw`gl(?:c|sa)_` },
  [RULE("openai")]: { cs: String.raw`T3BlbkFJ` },
  [RULE("anthropic")]: { cs: String.raw`sk-ant-api0` },
  [RULE("groq")]: { cs: String.raw`gsk_` },
  [RULE("huggingface")]: { cs: String.raw`hf_[a-zA-Z]{34}` },
  [RULE("linear")]: { cs: String.raw`lin_api_` },
  [RULE("notion")]: { cs: String.raw`ntn_\d{11}` },
  [RULE("1password")]: { cs: String.raw`ops_ey` },
  [RULE("hashicorp-vault")]: { cs: String.raw`hv[sbr]\.` },
  [RULE("vercel")]: { cs: String.raw`vc[piark]_[A-Za-z0-9]{20}` },
  [RULE("databricks")]: { cs: String.raw`dapi[A-Fa-f0-9]{32}` },
  [RULE("docker")]: { cs: String.raw`dckr_pat_` },
  [RULE("figma")]: { cs: String.raw`figd_` },
  // bulkhead has its own suppression comments (SPEC §3); secretlint-disable would hide
  // findings that must instead show up as suppressed.
  [RULE("filter-comments")]: null,
};

/** True when every rule of the installed preset has a trigger above. */
export const PREFILTER_COMPLETE = presetRules.every((r) => r.meta.id in TRIGGERS);

function alternation(kind: "cs" | "ci"): string {
  // Two rules may share a trigger (basic auth and connection strings): each is tested once.
  const triggers = new Set(Object.values(TRIGGERS).map((t) => t?.[kind]));
  return [...triggers]
    .filter((s): s is string => !!s)
    .map((s) => `(?:${s})`)
    .join("|");
}
const SECRETLINT_TRIGGER_CS = new RegExp(alternation("cs"));
const SECRETLINT_TRIGGER_CI = new RegExp(alternation("ci"), "i");

/** A case-insensitive pattern spelled case-sensitively (`key` → `[kK][eE][yY]`); escapes and classes are kept as they are. */
function caseless(source: string): string {
  return source.replace(/\\.|\[(?:\\.|[^\]\\])*\]|[A-Za-z]/g, (m) => (m.length === 1 ? `[${m.toLowerCase()}${m.toUpperCase()}]` : m));
}

/** The top-level alternatives of a regex source (`a|b(c|d)|[|]` → `a`, `b(c|d)`, `[|]`). */
function topLevelAlternatives(source: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let inClass = false;
  let from = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")") depth--;
    else if (c === "|" && depth === 0) {
      out.push(source.slice(from, i));
      from = i + 1;
    }
  }
  out.push(source.slice(from));
  return out;
}

/**
 * One alternation of `sources`' alternatives, those that start with the same literal character
 * written as one branch (`ghp_…|github_pat_|glpat-` → `g(?:hp_…|ithub_pat_|lpat-)`): the same
 * language, and irregexp tries one branch per character where it tried each alternative
 * (the benchmark's 25 MB: ~25% less time in the prefilter). Alternatives that start with a
 * group, a class, an escape or an assertion, or whose first character is quantified, stay whole.
 */
function factorByFirstChar(sources: string[]): string {
  const groups = new Map<string, string[]>();
  const whole: string[] = [];
  for (const alt of sources.flatMap(topLevelAlternatives)) {
    const first = alt[0] ?? "";
    if (/^[A-Za-z0-9"_:@-]$/.test(first) && !/^[?*+{]/.test(alt.slice(1))) {
      const rests = groups.get(first) ?? [];
      if (!rests.includes(alt.slice(1))) rests.push(alt.slice(1));
      groups.set(first, rests);
    } else if (!whole.includes(alt)) whole.push(alt);
  }
  const branches = [...groups].map(([first, rests]) => (rests.length === 1 ? `${first}${rests[0]}` : `${first}(?:${rests.join("|")})`));
  return [...branches, ...whole].map((s) => `(?:${s})`).join("|");
}

const triggersOf = (kind: "cs" | "ci") => [...new Set(Object.values(TRIGGERS).map((t) => t?.[kind]))].filter((s): s is string => !!s);

/**
 * The case-sensitive triggers, the case-insensitive ones (spelled out) and the extra patterns'
 * triggers in one regex: one pass over the text instead of three (25 MB: 104 → 82 ms), its
 * alternatives factored by their first character. It matches exactly where one of the three
 * would (mightHoldToken only asks whether it matches).
 */
const ANY_TRIGGER = new RegExp(factorByFirstChar([...triggersOf("cs"), ...triggersOf("ci").map(caseless), ...EXTRA_PATTERNS.map((p) => p.trigger)]));

/**
 * Where a known-format token sits, for masking quoted text on the spot (./redact.ts, which
 * widens each match to the whole run of token characters): the case-sensitive triggers that
 * are the token's own prefix, and the extra patterns'. Left out: triggers that match context
 * rather than a token (service-account JSON keys, `_authToken=`, URLs with a password, private
 * key headers): the redaction handles those by their shape.
 */
const CONTEXT_TRIGGERS = new Set([RULE("gcp"), RULE("npm"), RULE("privatekey")]);
export const TOKEN_START = new RegExp(
  [
    ...Object.entries(TRIGGERS).flatMap(([id, t]) => (t?.cs && !CONTEXT_TRIGGERS.has(id) ? [t.cs] : [])),
    String.raw`npm_[A-Za-z0-9_]{36}`,
    String.raw`hooks\.slack\.com\/services\/`,
    ...EXTRA_PATTERNS.filter((p) => p.ruleId !== "bulkhead/private-key").map((p) => p.trigger),
  ]
    .map((s) => `(?:${s})`)
    .join("|"),
  "g",
);

/** Cheap check: could any preset rule report something in `text`? */
export function mightHoldToken(text: string): boolean {
  return !PREFILTER_COMPLETE || ANY_TRIGGER.test(text);
}

function needsSecretlint(text: string): boolean {
  return !PREFILTER_COMPLETE || SECRETLINT_TRIGGER_CS.test(text) || SECRETLINT_TRIGGER_CI.test(text);
}

/**
 * The preset's rules, registered one by one rather than through the preset creator: core
 * ignores `disabled` for rules inside a preset, and filter-comments must stay off.
 */
const RULE_SETTINGS: Record<string, { options?: Record<string, unknown>; allowMessageIds?: string[] }> = {
  // Access key ids (AKIA…) stay off, as in the preset: an id is the public half of the pair and
  // grants nothing alone; the secret access key is what is reported. Account ids are not secrets.
  [RULE("aws")]: { options: { enableIDScanRule: false }, allowMessageIds: ["AWSAccountID"] },
};
const CONFIG: CoreConfig = {
  rules: presetRules
    .filter((rule) => TRIGGERS[rule.meta.id] !== null)
    .map((rule) => ({ id: rule.meta.id, rule, ...RULE_SETTINGS[rule.meta.id] })),
};

/** What each secretlint message is, and how to find the secret value in its range. */
type Locate = "range" | "data" | "url-password" | "gcp-json";
const KINDS: Record<string, { kind: string; locate?: Locate; generic?: boolean }> = {
  AWSAccessKeyID: { kind: "AWS access key" },
  // secretlint reports these at the start of the whole match with the length of the value.
  // Found by a 40-character value next to a secret-access-key name: a shape, not a format.
  AWSSecretAccessKey: { kind: "AWS secret access key", locate: "data", generic: true },
  PrivateKeyJSON: { kind: "GCP service-account private key", locate: "gcp-json" },
  PrivateKeyP12: { kind: "GCP service-account private key" },
  PackageJSON_xOauthToken: { kind: "GitHub token", locate: "data" },
  Npmrc_authToken: { kind: "npm token", locate: "data", generic: true },
  NPM_ACCESS_TOKEN: { kind: "npm token" },
  SLACK_TOKEN: { kind: "Slack token" },
  IncomingWebhook: { kind: "Slack webhook URL" },
  BasicAuth: { kind: "basic auth in URL", locate: "url-password", generic: true },
  MongoDBConnection: { kind: "password in database URL", locate: "url-password", generic: true },
  MySQLConnection: { kind: "password in database URL", locate: "url-password", generic: true },
  PostgreSQLConnection: { kind: "password in database URL", locate: "url-password", generic: true },
  PrivateKey: { kind: "private key" },
  GITHUB_TOKEN: { kind: "GitHub token" },
  GITLAB_PERSONAL_ACCESS_TOKEN: { kind: "GitLab token" },
  SENDGRID_KEY: { kind: "SendGrid API key" },
  SHOPIFY_KEY: { kind: "Shopify token" },
  OPENAI_TOKEN: { kind: "OpenAI API key" },
  ANTHROPIC_API_KEY: { kind: "Anthropic API key" },
  GROQ_API_KEY: { kind: "Groq API key" },
  HUGGINGFACE_USER_ACCESS_TOKEN: { kind: "Hugging Face token" },
  LINEAR_API_TOKEN: { kind: "Linear API key" },
  NOTION_INTEGRATION_TOKEN: { kind: "Notion token" },
  OPS_TOKEN: { kind: "1Password service account token" },
  DOCKER_PERSONAL_ACCESS_TOKEN: { kind: "Docker access token" },
  FIGMA_PERSONAL_ACCESS_TOKEN: { kind: "Figma token" },
  DATABRICKS_PERSONAL_ACCESS_TOKEN: { kind: "Databricks token" },
};
/** Kinds by rule, for message ids not listed above (several per rule, or added upstream). */
const RULE_KINDS: Record<string, string> = {
  [RULE("sendgrid")]: "SendGrid API key",
  [RULE("shopify")]: "Shopify token",
  [RULE("gitlab")]: "GitLab token",
  [RULE("grafana")]: "Grafana token",
  [RULE("hashicorp-vault")]: "HashiCorp Vault token",
  [RULE("vercel")]: "Vercel token",
  [RULE("1password")]: "1Password service account token",
};

interface Candidate extends TokenMatch {
  /** Lower wins an overlap: 0 provider token, 1 private key, 2 generic (URL password, .npmrc). */
  rank: number;
}

function dataValue(m: CoreMessage): string | undefined {
  const data = m.data as Record<string, unknown> | undefined;
  if (!data) return undefined;
  for (const key of ["KEY", "TOKEN", "ID", "URI", "URL", "CREDENTIAL"]) {
    const v = data[key];
    if (typeof v === "string" && v !== "") return v;
  }
  return undefined;
}

function trimRange(text: string, start: number, end: number): [number, number] {
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  while (start < end && /\s/.test(text[start]!)) start++;
  return [start, end];
}

/** The string value of `"private_key"` in a service-account JSON file, as offsets. */
function gcpPrivateKeyRange(text: string): [number, number] | undefined {
  const m = /"private_key"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length - 1 - m[1]!.length;
  return [start, start + m[1]!.length];
}

function fromSecretlint(text: string, m: CoreMessage): Candidate | undefined {
  const known = KINDS[m.messageId];
  const kind = known?.kind ?? RULE_KINDS[m.ruleId] ?? `${m.ruleId.replace(RULE(""), "")} secret`;
  let [start, end] = [Math.max(0, m.range[0]), Math.min(text.length, m.range[1])];
  switch (known?.locate) {
    case "data": {
      const v = dataValue(m);
      const at = v === undefined ? -1 : text.indexOf(v, start);
      if (v === undefined || at < 0) return undefined;
      [start, end] = trimRange(text, at, at + v.length);
      if (known.generic && !isLiteralSecretValue(text.slice(start, end))) return undefined;
      break;
    }
    case "url-password": {
      const pw = urlWithPassword(text.slice(start, end));
      if (!pw) return undefined; // the password is a reference or a placeholder
      [start, end] = [start + pw.start, start + pw.end];
      break;
    }
    case "gcp-json": {
      const r = gcpPrivateKeyRange(text);
      if (r) [start, end] = r;
      break;
    }
  }
  if (end <= start) return undefined;
  const wholeKey = m.messageId === "PrivateKey" || known?.locate === "gcp-json";
  if (!wholeKey && isPlaceholder(text.slice(start, end))) return undefined;
  const rank = known?.generic ? 2 : m.messageId === "PrivateKey" ? 1 : 0;
  return { start, end, kind, ruleId: m.ruleId, rank, ...(known?.generic ? { generic: true } : {}) };
}

let core: Promise<typeof import("@secretlint/core")> | undefined;

/**
 * secretlint's core, loaded when a text first needs it (most runs have no candidate; with
 * threads, only the worker ever does). Its profiler marks every rule run on a process-wide
 * list that keeps each entry forever and searches them linearly: over thousands of files that
 * is quadratic time and ~10 KB of heap per file. bulkhead never reads the profile, so its
 * `mark` is made a no-op.
 */
function secretlintCore(): Promise<typeof import("@secretlint/core")> {
  core ??= (async () => {
    const loaded = await import("@secretlint/core");
    try {
      const { secretLintProfiler } = await import("@secretlint/profiler");
      secretLintProfiler.mark = () => {};
    } catch {
      // A nested copy we cannot reach: correct results, only slower on huge trees.
    }
    return loaded;
  })();
  return core;
}

async function runSecretlint(text: string, filePath: string): Promise<Candidate[]> {
  const { lintSource } = await secretlintCore();
  const dot = filePath.lastIndexOf(".");
  const ext = dot > filePath.lastIndexOf("/") + 1 ? filePath.slice(dot) : "";
  const result = await lintSource({
    source: { content: text, filePath, ext, contentType: "text" },
    options: { config: CONFIG, noPhysicFilePath: true },
  });
  const out: Candidate[] = [];
  for (const m of result.messages) {
    const c = fromSecretlint(text, m);
    if (c) out.push(c);
  }
  return out;
}

function runExtras(text: string): Candidate[] {
  const out: Candidate[] = [];
  for (const p of EXTRA_PATTERNS) {
    for (const m of p.find(text)) out.push({ ...m, rank: p.ruleId === "bulkhead/private-key" ? 1 : 0 });
  }
  return out;
}

/**
 * Known-format tokens in `text`, as offsets of the secret value (a URL's password, a key's
 * whole PEM block, a token itself), sorted by position, overlaps resolved in favour of the
 * more specific format. `filePath` (relative is fine) lets file-specific rules apply
 * (service-account `.json`, `.npmrc`, `package.json`).
 */
export async function scanTokens(text: string, filePath: string): Promise<TokenMatch[]> {
  let candidates: Candidate[] = [];
  if (needsSecretlint(text)) candidates.push(...(await runSecretlint(text, filePath.replace(/\\/g, "/"))));
  if (EXTRA_TRIGGER.test(text)) candidates.push(...runExtras(text));
  // Vendors' documentation keys and keys made to be public (publishable, anon) have token formats
  // too, and a fixed-length format can match the start of a value elided further on (`…FR+xxx`).
  candidates = candidates.filter((c) => {
    const value = text.slice(c.start, c.end);
    let end = c.end;
    while (end < text.length && end - c.end < 64 && /[A-Za-z0-9+/=_-]/.test(text[end]!)) end++;
    return !isDocumentationKey(value) && !isPublishableKey(value) && (end === c.end || !isPlaceholder(text.slice(c.start, end)));
  });
  candidates.sort((a, b) => a.rank - b.rank || b.end - b.start - (a.end - a.start) || a.start - b.start);
  const kept: Candidate[] = []; // sorted by start, never overlapping
  for (const c of candidates) {
    const i = firstEndingAfter(kept, c.start);
    if (i < kept.length && kept[i]!.start < c.end) continue; // overlaps a more specific match
    kept.splice(i, 0, c);
  }
  return kept.map(({ start, end, kind, ruleId, generic }) => ({ start, end, kind, ruleId, ...(generic ? { generic } : {}) }));
}

/** Index of the first interval in `sorted` (disjoint, by start) whose end is after `pos`. */
function firstEndingAfter(sorted: Candidate[], pos: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
