import { defineRule, type RuleContext } from "../../../src/rule.js";
import { quote } from "../../../src/secrets/index.js";
import { fileModeOption, octal } from "../../../src/selectors/file-mode.js";
import type { Locatable, PEntry, PMap, PNode } from "../../../src/types.js";
import { asMap, asScalar, asSeq } from "../../../src/parsers/yaml.js";
import { intValue, podSecurityContext, podSpecOf, volumesOf, type PodSpecRef, type VolumeRef } from "../../../src/selectors/k8s.js";

/** Kubernetes writes secret files with 0644 when a volume sets no defaultMode. */
const KUBERNETES_DEFAULT_MODE = 0o644;


/** The maxMode option (validated when the configuration is loaded: see the `fileMode` keyword of its schema). */
export function parseMaxMode(option: unknown): number {
  const mode = fileModeOption(option);
  if (mode === undefined) throw new Error(`option maxMode must be an octal file mode such as "0600" or "0400", got ${JSON.stringify(option)}`);
  return mode;
}

const WHO: [string, number][] = [
  ["the owner", 6],
  ["group", 3],
  ["others", 0],
];
const WHAT: [string, number][] = [
  ["read", 4],
  ["write", 2],
  ["execute", 1],
];

/** The permissions a mode grants beyond the allowed ones: `group read, others read`. */
function excess(mode: number, max: number): string {
  const extra = mode & ~max & 0o777;
  const parts: string[] = [];
  for (const [who, shift] of WHO) {
    const bits = WHAT.filter(([, b]) => extra & (b << shift)).map(([w]) => w);
    if (bits.length > 0) parts.push(`${who} ${bits.join("/")}`);
  }
  return parts.join(", ");
}

type ModeCheck = { ok: true; mode: number } | { ok: false; problem: string };

/** Reads a written mode the way the API server does: an integer from 0 to 0777. */
function readMode(field: string, node: PNode): ModeCheck {
  const s = asScalar(node);
  if (!s || typeof s.value !== "number") {
    const shown = s ? `"${quote(s.source)}"` : "a map or list";
    return { ok: false, problem: `${field} ${shown} is not a number; Kubernetes expects an integer mode, written in octal without quotes (e.g. 0600)` };
  }
  const mode = s.value;
  if (!Number.isInteger(mode) || mode < 0) return { ok: false, problem: `${field} ${quote(s.source)} is not a file mode; write an octal mode such as 0600` };
  if (mode > 0o777) {
    // `600` is the decimal 600 (0o1130) in YAML, not the octal mode the author meant.
    const digits = /^[+]?([0-7]{3})$/.exec(s.source.trim());
    const hint = digits ? `\`${digits[1]}\` is decimal; did you mean \`0${digits[1]}\`?` : `write an octal mode such as 0600`;
    return { ok: false, problem: `${field} ${quote(s.source)} is above 0777, not a valid file mode (YAML reads it as ${octal(mode)} in octal): ${hint}` };
  }
  return { ok: true, mode };
}

/** `0644`, or `420 (0644)` when the file writes the mode in decimal (JSON). */
function shown(node: PNode, mode: number): string {
  const src = asScalar(node)?.source.trim() ?? "";
  return /^0[0-7]+$/.test(src) ? octal(mode) : `${src} (${octal(mode)})`;
}

interface ModeSite {
  ctx: RuleContext;
  max: number;
  /** How a non-root container reads files that a strict mode leaves to root (empty when the pod sets fsGroup or runs as root). */
  nonRootHint: string;
  /** `secret volume "creds" in Deployment bot` */
  what: string;
  logical: string;
  /** A volume of a Kustomize patch: a defaultMode it does not write may be set by the object it modifies. */
  partial: boolean;
}

/** Reports a written mode that is invalid, or looser than max when files take it. */
function checkWritten(site: ModeSite, field: string, entry: PEntry, loosenessMatters: boolean): void {
  const r = readMode(field, entry.value);
  if (!r.ok) {
    site.ctx.report({ node: entry.value, message: `${r.problem} (${site.what})`, logicalLocation: site.logical });
    return;
  }
  if (loosenessMatters && (r.mode & ~site.max & 0o777) !== 0) {
    // `400` is the decimal 400 (0620): when the digits read as octal would pass, that is what was meant.
    const src = asScalar(entry.value)?.source.trim() ?? "";
    const meant = /^[0-7]{3}$/.test(src) && (Number.parseInt(src, 8) & ~site.max) === 0;
    const fix = meant ? `\`${src}\` is decimal; did you mean \`0${src}\`?` : `set ${field}: ${octal(site.max)} or stricter${site.nonRootHint}`;
    site.ctx.report({
      node: entry.value,
      message: `${site.what} sets ${field} ${shown(entry.value, r.mode)}, which gives ${excess(r.mode, site.max)} access to the secret files; ${fix}`,
      logicalLocation: site.logical,
    });
  }
}

function written(map: PMap | undefined, key: string): PEntry | undefined {
  const e = map?.entry(key);
  return e && !(e.value.type === "scalar" && e.value.value === null) ? e : undefined;
}

/**
 * Checks the `items` of a secret source; returns whether some file takes the default mode
 * (no items, or an item without `mode`).
 */
function checkItems(site: ModeSite, source: PMap | undefined): boolean {
  const items = (asSeq(source?.get("items"))?.items ?? []).map(asMap).filter((m): m is PMap => m !== undefined);
  if (items.length === 0) return true;
  let usesDefault = false;
  for (const item of items) {
    const mode = written(item, "mode");
    if (mode) checkWritten(site, "mode", mode, true);
    else usesDefault = true;
  }
  return usesDefault;
}

/** Reports the default mode in force for files that set none. */
function checkDefault(site: ModeSite, holder: PMap | undefined, anchor: Locatable, usesDefault: boolean): void {
  const dm = written(holder, "defaultMode");
  if (dm) {
    checkWritten(site, "defaultMode", dm, usesDefault);
  } else if (usesDefault && !site.partial && (KUBERNETES_DEFAULT_MODE & ~site.max & 0o777) !== 0) {
    site.ctx.report({
      node: anchor,
      message: `${site.what} sets no defaultMode, so Kubernetes writes the secret files with 0644 (${excess(KUBERNETES_DEFAULT_MODE, site.max)} access); add defaultMode: ${octal(site.max)} or stricter${site.nonRootHint}`,
      logicalLocation: site.logical,
    });
  }
}

/**
 * Secret files belong to root. With a mode that gives group and others nothing, a container that
 * runs as another user reads them through the pod's fsGroup: the kubelet makes the files
 * group-owned by it and adds group read (0400 becomes 0440). Said when the pod sets no fsGroup
 * and does not run as root.
 */
function nonRootHint(pod: PodSpecRef): string {
  const sc = podSecurityContext(pod);
  if (sc?.entry("fsGroup") || intValue(sc?.get("runAsUser")) === 0) return "";
  return "; the files belong to root, so a container running as another user reads them through the pod's `securityContext.fsGroup` (the kubelet gives that group read access: 0600 becomes 0640, 0400 becomes 0440)";
}

function checkVolume(v: VolumeRef, ctx: RuleContext, max: number, hint: string): void {
  if (!v.sourceEntry) return;
  if (v.type === "secret") {
    const site = { ctx, max, nonRootHint: hint, what: `secret ${v.label}`, logical: v.logical, partial: v.partial };
    const usesDefault = checkItems(site, v.source);
    checkDefault(site, v.source, { range: v.sourceEntry.keyRange }, usesDefault);
  } else if (v.type === "projected") {
    const secrets = (asSeq(v.source?.get("sources"))?.items ?? []).map((s) => asMap(s)?.entry("secret")).filter((e): e is PEntry => e !== undefined);
    if (secrets.length === 0) return;
    const site = { ctx, max, nonRootHint: hint, what: `projected ${v.label}`, logical: v.logical, partial: v.partial };
    let usesDefault = false;
    for (const s of secrets) usesDefault = checkItems(site, asMap(s.value)) || usesDefault;
    checkDefault(site, v.source, { range: v.sourceEntry.keyRange }, usesDefault);
  }
}

export default defineRule({
  meta: {
    id: "k8s/secret-volume-mode",
    level: "error",
    summary:
      "A secret volume (or projected secret, or an items[].mode) gives group or others access to the secret files — no defaultMode at all means 0644 — or writes a mode that is not valid (`600` is decimal).",
    remediation:
      "Set `defaultMode: 0600` (or 0400) on the secret volume, written in octal with a leading zero; a container that runs as a non-root user then reads the files through the pod's `securityContext.fsGroup`.",
    tags: ["security", "CWE-732"],
    options: {
      schema: {
        type: "object",
        additionalProperties: false,
        properties: { maxMode: { type: ["string", "integer"], fileMode: true, description: 'the loosest mode allowed, in octal: "0600" (default) or "0400"' } },
      },
      defaults: { maxMode: "0600" },
    },
  },
  k8s(obj, ctx) {
    const max = parseMaxMode(ctx.options.maxMode);
    const pod = podSpecOf(obj);
    if (pod) for (const v of volumesOf(pod)) checkVolume(v, ctx, max, nonRootHint(pod));
  },
});
