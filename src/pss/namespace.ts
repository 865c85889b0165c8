// The Pod Security Admission policy a scanned Namespace's labels set for its pods, read as
// admission reads them (k8s.io/pod-security-admission/api PolicyToEvaluate): per mode a level and
// a version; a missing level is privileged (no check), a missing version `latest`; an enforce
// level that is not valid fails closed (restricted), an audit or warn level that is not valid
// fails open (privileged); a version that is not valid is `latest`; with no warn label, warn
// follows enforce.
import type { K8sObject } from "../types.js";
import type { Workspace } from "../workspace/workspace.js";
import { quote } from "../secrets/index.js";
import type { PssLevel } from "./controls.js";
import { LATEST, parsePssVersion, type PssVersion } from "./version.js";

export type PssMode = "enforce" | "warn" | "audit";

export const PSS_MODES: readonly PssMode[] = ["enforce", "warn", "audit"];

const LABEL = "pod-security.kubernetes.io/";

type AnyLevel = PssLevel | "privileged";

export interface ModePolicy {
  level: PssLevel;
  version: PssVersion;
  /** A label admission could not parse, and what it did instead (for the message). */
  invalid?: string;
}

export interface NamespacePolicy {
  /** The Namespace object whose labels set it. */
  namespace: K8sObject;
  modes: Partial<Record<PssMode, ModePolicy>>;
}

const RANK: Record<AnyLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** The policy of a Namespace's labels; undefined when every mode is privileged. */
export function namespacePolicy(ns: K8sObject): NamespacePolicy | undefined {
  const labels = ns.labels;
  const has = (key: string) => Object.prototype.hasOwnProperty.call(labels, LABEL + key);
  const modes: Partial<Record<PssMode, ModePolicy>> = {};
  const levels: Record<PssMode, AnyLevel> = { enforce: "privileged", warn: "privileged", audit: "privileged" };
  const versions: Record<PssMode, PssVersion> = { enforce: LATEST, warn: LATEST, audit: LATEST };
  const invalid: Partial<Record<PssMode, string>> = {};
  for (const mode of PSS_MODES) {
    if (has(mode)) {
      const value = labels[LABEL + mode];
      if (isLevel(value)) levels[mode] = value;
      else {
        levels[mode] = mode === "enforce" ? "restricted" : "privileged";
        invalid[mode] = `the label \`${LABEL}${mode}: ${quote(value)}\` is not a level (privileged, baseline, restricted), so admission ${mode === "enforce" ? "enforces restricted" : "ignores it"}`;
      }
    }
    if (has(`${mode}-version`)) {
      const value = labels[`${LABEL}${mode}-version`];
      const v = parsePssVersion(value);
      versions[mode] = v ?? LATEST;
      if (v === undefined) invalid[mode] = `the label \`${LABEL}${mode}-version: ${quote(value)}\` is not \`latest\` or \`v1.N\`, so admission uses latest`;
    }
  }
  const enforceSet = has("enforce") && isLevel(labels[LABEL + "enforce"]);
  if (!has("warn") && enforceSet && RANK[levels.enforce] > RANK[levels.warn]) {
    levels.warn = levels.enforce;
    if (!has("warn-version")) versions.warn = versions.enforce;
  }
  for (const mode of PSS_MODES) {
    const level = levels[mode];
    if (level !== "privileged") modes[mode] = { level, version: versions[mode], ...(invalid[mode] ? { invalid: invalid[mode] } : {}) };
  }
  return Object.keys(modes).length > 0 ? { namespace: ns, modes } : undefined;
}

function isLevel(value: string): value is AnyLevel {
  return value === "privileged" || value === "baseline" || value === "restricted";
}

const NAMESPACE: ReadonlySet<string> = new Set(["Namespace"]);

const policies = new WeakMap<Workspace, Map<string, NamespacePolicy | undefined>>();

/** The policy of the namespace an object is in, when that Namespace is among the scanned manifests (the first one of that name). */
export function policyOfNamespace(workspace: Workspace, namespace: string): NamespacePolicy | undefined {
  let index = policies.get(workspace);
  if (!index) {
    index = new Map();
    for (const o of workspace.objectsOfKinds(NAMESPACE)) {
      if (!o.name || index.has(o.name)) continue;
      index.set(o.name, namespacePolicy(o));
    }
    policies.set(workspace, index);
  }
  return index.get(namespace);
}
