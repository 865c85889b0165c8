// The Pod Security Standards as the engine applies them: in the pss-baseline and pss-restricted
// presets every workload is evaluated at that level (each violation an error), and in every preset
// a workload whose namespace is a scanned Namespace with pod-security labels is evaluated as
// admission would (enforce: error, warn: warning, audit: note). Each violation is reported under
// the rule that implements its control (`RuleMeta.pss`), at the offending field.
import type { Rule, RuleMeta } from "../rule.js";
import type { K8sObject, Level, LevelSetting, PresetName } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import type { RawFinding } from "./fingerprint.js";
import { podSpecOf, type PodSpecRef } from "../selectors/k8s.js";
import { quote } from "../secrets/index.js";
import { asMap } from "../parsers/yaml.js";
import { CONTROLS, controlInLevel, type PssControl, type PssLevel } from "../pss/controls.js";
import { evaluatePod } from "../pss/registry.js";
import { policyOfNamespace, PSS_MODES, type ModePolicy, type NamespacePolicy, type PssMode } from "../pss/namespace.js";
import { LATEST, showPssVersion, type PssVersion } from "../pss/version.js";
import type { PssViolation } from "../pss/fields.js";

/** The level a PSS preset checks, or undefined for the other presets. */
export function pssPresetLevel(preset: PresetName): PssLevel | undefined {
  return preset === "pss-baseline" ? "baseline" : preset === "pss-restricted" ? "restricted" : undefined;
}

/** A rule's level in a PSS preset: error when it implements a control of that level, else off. */
export function pssPresetRuleLevel(meta: RuleMeta, level: PssLevel): LevelSetting {
  return meta.pss?.some((c) => controlInLevel(c, level)) ? "error" : "off";
}

/** What decides a workload's verdict: the preset's level, or a mode of its namespace's labels. */
interface Policy {
  mode: PssMode | "preset";
  level: PssLevel;
  version: PssVersion;
  namespace?: NamespacePolicy;
  invalid?: string;
}

const MODE_LEVEL: Record<Policy["mode"], Level> = { enforce: "error", preset: "error", warn: "warning", audit: "note" };
const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

export interface PssRunInput {
  objects: K8sObject[];
  workspace: Workspace;
  /** The PSS preset's level, if the preset is one. */
  presetLevel: PssLevel | undefined;
  /** `--pss-version` / `pss.version` (the PSS presets' version). */
  version: PssVersion;
  rules: readonly Rule[];
  /** The rule's setting for a file: the level in force and whether the user set it. */
  setting: (meta: RuleMeta, absPath: string) => { level: LevelSetting; explicit: boolean };
}

/** The PSS findings of a run: one per violation and rule location, the strongest policy's. */
export function pssFindings(input: PssRunInput): RawFinding[] {
  const ruleOf = new Map<PssControl, Rule>();
  for (const r of input.rules) for (const c of r.meta.pss ?? []) ruleOf.set(c, r);
  const kept = new Map<string, RawFinding>();
  for (const obj of input.objects) {
    const pod = podSpecOf(obj);
    if (!pod) continue;
    for (const policy of policiesOf(obj, input)) {
      for (const v of evaluatePod(pod, policy.level, policy.version)) {
        const rule = ruleOf.get(v.control);
        if (!rule) continue;
        const s = input.setting(rule.meta, obj.file.absPath);
        // Off by the user's choice, or by a pss-* preset: that preset reports its level's rules and nothing else, whatever a namespace asks.
        if (s.level === "off" && (s.explicit || input.presetLevel)) continue;
        const finding: RawFinding = {
          ruleId: rule.meta.id,
          level: s.explicit ? (s.level as Level) : MODE_LEVEL[policy.mode],
          explicitLevel: true,
          message: messageOf(v, pod, policy),
          file: obj.file.path,
          region: v.node.range,
          logicalLocation: v.logical,
          object: obj,
        };
        const key = `${finding.ruleId}\0${finding.file}\0${finding.region.startLine}:${finding.region.startColumn}`;
        const before = kept.get(key);
        if (!before || LEVEL_RANK[finding.level] > LEVEL_RANK[before.level]) kept.set(key, finding);
      }
    }
  }
  return [...kept.values()];
}

/** The preset's policy, then the namespace's enforce, warn and audit modes (on a tie in level, the first is kept). */
function policiesOf(obj: K8sObject, input: PssRunInput): Policy[] {
  const out: Policy[] = [];
  const ns = policyOfNamespace(input.workspace, obj.namespace);
  const mode = (m: PssMode, p: ModePolicy | undefined) => {
    if (p) out.push({ mode: m, level: p.level, version: p.version, namespace: ns, ...(p.invalid ? { invalid: p.invalid } : {}) });
  };
  mode("enforce", ns?.modes.enforce);
  if (input.presetLevel) out.push({ mode: "preset", level: input.presetLevel, version: input.version });
  for (const m of PSS_MODES) if (m !== "enforce") mode(m, ns?.modes[m]);
  return out;
}

const ACTION: Record<PssMode, string> = {
  enforce: "would reject",
  warn: "would warn about",
  audit: "would record an audit violation for",
};

function messageOf(v: PssViolation, pod: PodSpecRef, policy: Policy): string {
  const control = `control "${CONTROLS[v.control].name}"`;
  if (policy.mode === "preset") {
    const version = policy.version === LATEST ? "" : ` ${showPssVersion(policy.version)}`;
    return `${v.detail}; ${v.fix} (Pod Security Standards ${policy.level}${version}, ${control})`;
  }
  const ns = policy.namespace!.namespace;
  const what = pod.obj.kind === "Pod" ? `Pod ${pod.obj.name ? quote(pod.obj.name) : "(unnamed)"}` : `the pods of ${pod.label}`;
  const where = `${ns.file.path}:${labelLine(ns, policy.mode)}`;
  const invalid = policy.invalid ? ` (${policy.invalid})` : "";
  return `Pod Security Admission ${ACTION[policy.mode]} ${what}: namespace "${quote(ns.name)}" (${quote(where)}) sets ${policy.mode} ${policy.level}:${showPssVersion(policy.version)}${invalid}, and ${v.detail} (${control}); ${v.fix}`;
}

/** The line of the Namespace's label for that mode (its enforce label when warn follows it), else of its `kind:`. */
function labelLine(ns: K8sObject, mode: PssMode): number {
  const labels = asMap(asMap(ns.node.get("metadata"))?.get("labels"));
  const entry = labels?.entry(`pod-security.kubernetes.io/${mode}`) ?? labels?.entry("pod-security.kubernetes.io/enforce");
  return (entry ?? ns.kindNode ?? ns.node).range.startLine;
}

/**
 * The run's findings with the PSS ones merged in. Where a PSS finding and the same rule's own
 * finding (the recommended preset's view of the same field) fall on one line of a file, the
 * stronger is kept (the rule's as the preset will report it: strict raises it), the PSS one on a
 * tie: an audit note does not hide the rule's warning.
 */
export function mergePssFindings(raw: RawFinding[], pss: RawFinding[], levelInPreset: (f: RawFinding) => Level): RawFinding[] {
  if (pss.length === 0) return raw;
  const key = (f: RawFinding) => `${f.ruleId}\0${f.file}\0${f.region.startLine}`;
  const strongestRaw = new Map<string, number>();
  for (const f of raw) strongestRaw.set(key(f), Math.max(strongestRaw.get(key(f)) ?? 0, LEVEL_RANK[levelInPreset(f)]));
  const kept = pss.filter((f) => LEVEL_RANK[f.level] >= (strongestRaw.get(key(f)) ?? 0));
  const replaced = new Set(kept.map(key));
  return [...raw.filter((f) => !replaced.has(key(f))), ...kept];
}
