// What makes the text report readable on a real repository (issue 11: awesome-compose gave 518
// findings in 763 lines of 255 characters on average): the explanation and advice a rule gives
// are said once, and the report ends with a count per rule.
import type { Finding, Level } from "../types.js";
import { LEVELS } from "./summary.js";

/** A later finding is shortened only when that saves at least this many characters. */
const MIN_SAVED = 20;

/**
 * The messages as the text report prints them: a clause a rule has already said in the report
 * (its explanation, its advice) is not said again; each run of clauses left out is ` …`. Clauses
 * are split at `, ` `; ` `: ` ` — ` outside quotes, backticks and parentheses. The first clause of
 * every message stays, as does whatever differs (a service, an image, the port mapping to write
 * instead); the first finding of each rule is printed whole. Read top-down, nothing is lost; the
 * JSON, SARIF and other reports keep every message whole.
 */
export function briefMessages(findings: Finding[]): Map<Finding, string> {
  const out = new Map<Finding, string>();
  const said = new Map<string, Set<string>>();
  for (const f of findings) {
    let seen = said.get(f.ruleId);
    if (!seen) said.set(f.ruleId, (seen = new Set()));
    const [head, ...rest] = clauses(f.message);
    let brief = head;
    for (const [i, clause] of rest.entries()) {
      if (!seen.has(clause)) brief += clause;
      else if (i === 0 || !seen.has(rest[i - 1])) brief += " …";
    }
    for (const clause of rest) seen.add(clause);
    out.set(f, f.message.length - brief.length >= MIN_SAVED ? brief : f.message);
  }
  return out;
}

/** A message cut before each top-level clause boundary; each clause after the first keeps its separator. */
function clauses(message: string): string[] {
  const out: string[] = [];
  let start = 0;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < message.length - 1; i++) {
    const c = message[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "`") quote = c;
    else if (c === "(") depth++;
    else if (c === ")") depth = Math.max(0, depth - 1);
    else if (depth === 0 && i > start && /^(?:[,;:] | — )/.test(message.slice(i, i + 3))) {
      out.push(message.slice(start, i));
      start = i;
    }
  }
  out.push(message.slice(start));
  return out;
}

/**
 * The per-rule count that ends a long text report: errors first, then warnings, then notes; the
 * rules with the most findings first. Nothing when the findings are of a single rule.
 */
export function perRuleLines(findings: Finding[]): string[] {
  const counts = new Map<string, { level: Level; n: number }>();
  for (const f of findings) {
    const key = `${f.ruleId}\0${f.level}`;
    const c = counts.get(key);
    if (c) c.n++;
    else counts.set(key, { level: f.level, n: 1 });
  }
  if (new Set(findings.map((f) => f.ruleId)).size < 2) return [];
  const rows = [...counts.entries()]
    .map(([key, c]) => ({ rule: key.split("\0")[0], ...c }))
    .sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || b.n - a.n || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  const width = Math.max(...rows.map((r) => String(r.n).length));
  return rows.map((r) => `  ${String(r.n).padStart(width)}  ${r.level.padEnd(7)}  ${r.rule}`);
}
