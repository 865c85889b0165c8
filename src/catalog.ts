import { catalog as rules } from "../rules/catalog.js";
import { docs } from "../rules/docs.js";
import { BUILTIN_RULES } from "./engine/builtin.js";
import { unknownRuleDetail } from "./engine/config-errors.js";
import { UsageError } from "./errors.js";
import type { RuleMeta } from "./rule.js";

/** `--list-rules`: id, level and summary of every rule (and of the custom policies given). */
export function listRules(policies: RuleMeta[] = []): string {
  const metas = [...rules.map((r) => r.meta), ...BUILTIN_RULES, ...policies].sort((a, b) => (a.id < b.id ? -1 : 1));
  const width = Math.max(...metas.map((m) => m.id.length));
  return metas.map((m) => `${m.id.padEnd(width)}  ${m.level.padEnd(7)}  ${m.summary}`).join("\n") + "\n";
}

/** `--explain <id>`: the rule's documentation, the same text as docs/rules/<id>.md. */
export function explainRule(id: string, policies: RuleMeta[] = []): string {
  const meta = rules.find((r) => r.meta.id === id)?.meta ?? BUILTIN_RULES.find((m) => m.id === id) ?? policies.find((m) => m.id === id);
  if (!meta) throw new UsageError(`--explain: ${unknownRuleDetail(id, new Set([...rules.map((r) => r.meta.id), ...BUILTIN_RULES.map((m) => m.id), ...policies.map((m) => m.id)]))}`);
  return meta.docs ?? renderRuleDoc(meta, docs[id]);
}

export function renderRuleDoc(meta: { id: string; level: string; summary: string; remediation: string; tags: string[] }, readme: string | undefined): string {
  const header = [`# ${meta.id}`, "", `Level: **${meta.level}** (recommended preset) · Tags: ${meta.tags.join(", ")}`, "", meta.summary, ""];
  const body = readme ? readme.replace(/^# .*\n+/, "") : `## How to fix\n\n${meta.remediation}\n`;
  return header.join("\n") + "\n" + body.trimEnd() + "\n";
}
