import { defineRule, type RuleContext } from "../../../src/rule.js";
import type { K8sObject, PScalar, Region } from "../../../src/types.js";
import { asMap, asScalar } from "../../../src/parsers/yaml.js";
import { objectLogical } from "../../../src/selectors/k8s.js";
import { isLiteralSecretValue, isSecretName, lineCounter, maskSecret, mightHoldToken, quote, scanTokens, secretsInText, type EmbeddedSecret as Hit } from "../../../src/secrets/index.js";

/**
 * Where line `i` of a scalar's value is written in the file: block scalars (`|`, `>`) keep one
 * value line per file line; anything else (quoted strings with `\n`) falls back to the node.
 */
function locate(ctx: RuleContext, node: PScalar, text: string, secret: string, from: number): { region: Region; next: number } {
  const needle = text.trim();
  for (let n = Math.max(from, node.range.startLine); n <= node.range.endLine && needle !== ""; n++) {
    const fileLine = ctx.file.line(n);
    const at = fileLine.indexOf(needle);
    if (at < 0) continue;
    const s = secret !== "" ? fileLine.indexOf(secret, at) : -1;
    const [start, end] = s >= 0 ? [s, s + secret.length] : [at, at + needle.length];
    return { region: { startLine: n, startColumn: start + 1, endLine: n, endColumn: end + 1 }, next: n + 1 };
  }
  return { region: node.range, next: from };
}

export default defineRule({
  meta: {
    id: "k8s/configmap-secret",
    level: "error",
    summary:
      "A ConfigMap holds a secret: a key with a secret-looking name and a literal value, or a value containing `PASSWORD=…`-style assignments or a URL with a password.",
    remediation: "Move the value to a Secret (created outside the repository, or a SealedSecret/ExternalSecret) and keep only non-secret settings in the ConfigMap.",
    tags: ["security", "CWE-312", "CWE-798"],
  },
  async k8s(obj, ctx) {
    if (obj.kind !== "ConfigMap") return;
    const allow = (v: string) => ctx.isAllowedSecret(v);
    const tokenCandidates: { key: string; node: PScalar; value: string; logicalLocation: string; lines: Set<number> }[] = [];
    for (const entry of asMap(obj.node.get("data"))?.entries ?? []) {
      const node = asScalar(entry.value);
      if (!node || typeof node.value !== "string" || node.value.trim() === "") continue;
      const value = node.value;
      const logicalLocation = `${objectLogical(obj)} data[${quote(entry.key)}]`;
      const hits = secretsInText(value, allow);
      if (hits.length > 0) {
        reportHits(ctx, obj, entry.key, node, value, hits, logicalLocation);
      } else if (isSecretName(entry.key) && isLiteralSecretValue(value, allow, entry.key)) {
        ctx.report({
          node,
          message: `ConfigMap ${quote(obj.name)} key "${quote(entry.key)}" holds a literal secret (${maskSecret(value.trim())}); ConfigMaps are not meant for secrets: move it to a Secret and reference it with secretKeyRef`,
          logicalLocation,
          snippet: logicalLocation,
        });
        continue;
      }
      if (mightHoldToken(value)) tokenCandidates.push({ key: entry.key, node, value, logicalLocation, lines: new Set(hits.map((h) => h.line)) });
    }
    // Known token formats need secretlint, which is asynchronous: everything above is reported
    // before the first await.
    for (const c of tokenCandidates) {
      let tokens;
      try {
        tokens = await scanTokens(c.value, `${ctx.file.path}#${c.key}`);
      } catch {
        continue;
      }
      const hits: Hit[] = [];
      const lineAt = lineCounter(c.value); // (tokens come in order)
      for (const t of tokens) {
        const secret = c.value.slice(t.start, t.end);
        const line = lineAt(t.start);
        if (c.lines.has(line) || allow(secret)) continue;
        c.lines.add(line);
        hits.push({ line, secret: secret.split("\n")[0]!, what: `holds a ${t.kind}` });
      }
      reportHits(ctx, obj, c.key, c.node, c.value, hits, c.logicalLocation);
    }
  },
});

function reportHits(ctx: RuleContext, obj: K8sObject, key: string, node: PScalar, value: string, hits: Hit[], logicalLocation: string): void {
  const lines = value.split("\n");
  let from = node.range.startLine;
  for (const hit of hits) {
    const { region, next } = locate(ctx, node, lines[hit.line]!, hit.secret, from);
    from = next;
    ctx.report({
      region,
      message: `ConfigMap ${quote(obj.name)} key "${quote(key)}" ${hit.what} (${maskSecret(hit.secret)}); ConfigMaps are not meant for secrets: move it to a Secret`,
      logicalLocation,
      snippet: `${logicalLocation} line ${hit.line + 1}`,
    });
  }
}
