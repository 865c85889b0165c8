// The Pod Security Standards as the engine applies them: in the pss-baseline and pss-restricted
// presets every workload is evaluated at that level (each violation an error), and in every preset
// a workload whose namespace is a scanned Namespace with pod-security labels is evaluated as
// admission would (enforce: error, warn: warning, audit: note). Each violation is reported under
// the rule that implements its control (`RuleMeta.pss`), at the offending field.
import type { Rule, RuleMeta } from "../rule.js";
import type { K8sObject, Level, LevelSetting, PresetName, Region } from "../types.js";
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
/** Which policy's finding is kept when two of one level fall at one place: enforce, the preset, warn, audit. */
const MODE_RANK: Record<Policy["mode"], number> = { enforce: 0, preset: 1, warn: 2, audit: 3 };
const LEVEL_RANK: Record<Level, number> = { note: 1, warning: 2, error: 3 };

/** A violation as a finding of the rule that implements its control; `rank`: MODE_RANK of the policy that found it. */
export interface PssFinding {
  rule: Rule;
  level: Level;
  message: string;
  region: Region;
  logicalLocation: string;
  rank: number;
}

/**
 * The PSS checks of a run. The preset's are made as each workload is read; its namespace's once
 * every file has been read (the Namespace may come later in the scan).
 */
export class PssChecks {
  private readonly ruleOf = new Map<PssControl, Rule>();

  constructor(
    private readonly presetLevel: PssLevel | undefined,
    /** `--pss-version` / `pss.version` (the PSS presets' version). */
    private readonly version: PssVersion,
    rules: readonly Rule[],
    /** The rule's setting for a file: the level in force and whether the user set it. */
    private readonly setting: (meta: RuleMeta, absPath: string) => { level: LevelSetting; explicit: boolean },
  ) {
    for (const r of rules) for (const c of r.meta.pss ?? []) this.ruleOf.set(c, r);
  }

  /** The preset's findings for an object (none outside the pss-* presets or for an object that runs no pods). */
  preset(obj: K8sObject): PssFinding[] {
    return this.presetLevel ? this.evaluate(obj, [{ mode: "preset", level: this.presetLevel, version: this.version }]) : [];
  }

  /** The findings of its namespace's enforce, warn and audit modes, when that Namespace is among the scanned manifests (read it once every file has been read). */
  namespace(obj: K8sObject, workspace: Workspace): PssFinding[] {
    const ns = policyOfNamespace(workspace, obj.namespace);
    if (!ns) return [];
    const policies = PSS_MODES.flatMap((m): Policy[] => {
      const p: ModePolicy | undefined = ns.modes[m];
      return p ? [{ mode: m, level: p.level, version: p.version, namespace: ns, ...(p.invalid ? { invalid: p.invalid } : {}) }] : [];
    });
    return this.evaluate(obj, policies);
  }

  private evaluate(obj: K8sObject, policies: Policy[]): PssFinding[] {
    const pod = podSpecOf(obj);
    if (!pod || policies.length === 0) return [];
    const out: PssFinding[] = [];
    for (const policy of policies) {
      for (const v of evaluatePod(pod, policy.level, policy.version)) {
        const rule = this.ruleOf.get(v.control);
        if (!rule) continue;
        const s = this.setting(rule.meta, obj.file.absPath);
        // Off by the user's choice, or by a pss-* preset: that preset reports its level's rules and nothing else, whatever a namespace asks.
        if (s.level === "off" && (s.explicit || this.presetLevel)) continue;
        out.push({
          rule,
          level: s.explicit ? (s.level as Level) : MODE_LEVEL[policy.mode],
          message: messageOf(v, pod, policy),
          region: v.node.range,
          logicalLocation: v.logical,
          rank: MODE_RANK[policy.mode],
        });
      }
    }
    return out;
  }
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
 * A file's findings with the PSS ones (`pss`: their rank) settled. Of PSS findings of one rule at
 * one place the strongest is kept (on a tie, the first policy's: enforce, the preset, warn,
 * audit). Where a PSS finding and the same rule's own finding (the recommended preset's view of
 * the same field) fall on one line, the stronger is kept, the PSS one on a tie: an audit note
 * does not hide the rule's warning.
 */
export function settlePss(findings: RawFinding[]): RawFinding[] {
  if (!findings.some((f) => f.pss !== undefined)) return findings;
  const own: RawFinding[] = [];
  const strongest = new Map<string, RawFinding>();
  for (const f of findings) {
    if (f.pss === undefined) {
      own.push(f);
      continue;
    }
    const at = `${f.ruleId}\0${f.region.startLine}:${f.region.startColumn}`;
    const before = strongest.get(at);
    if (!before || LEVEL_RANK[f.level] > LEVEL_RANK[before.level] || (LEVEL_RANK[f.level] === LEVEL_RANK[before.level] && f.pss < before.pss!)) strongest.set(at, f);
  }
  const line = (f: RawFinding) => `${f.ruleId}\0${f.region.startLine}`;
  const strongestOwn = new Map<string, number>();
  for (const f of own) strongestOwn.set(line(f), Math.max(strongestOwn.get(line(f)) ?? 0, LEVEL_RANK[f.level]));
  const kept = [...strongest.values()].filter((f) => LEVEL_RANK[f.level] >= (strongestOwn.get(line(f)) ?? 0));
  const replaced = new Set(kept.map(line));
  return [...own.filter((f) => !replaced.has(line(f))), ...kept];
}
