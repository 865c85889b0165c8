// Which checks decide a level at a version, as Pod Security Admission's registry
// (policy/registry.go) builds them: every check has versions, each applying from its minimum
// version until the next; a level runs its own checks and, for restricted, the baseline ones that
// no restricted check overrides at that version; a version past the newest check is the newest.
import type { PodSpecRef } from "../selectors/k8s.js";
import * as b from "./checks-baseline.js";
import * as r from "./checks-restricted.js";
import type { PssLevel } from "./controls.js";
import type { PssViolation } from "./fields.js";
import type { PssVersion } from "./version.js";

interface VersionedCheck {
  /** The first version (minor of 1.x) this implementation applies to. */
  min: number;
  check: b.CheckFn;
  /** Baseline checks this one replaces at restricted. */
  overrides?: string[];
}

interface Check {
  id: string;
  level: PssLevel;
  versions: VersionedCheck[];
}

const CHECKS: readonly Check[] = [
  { id: "appArmorProfile", level: "baseline", versions: [{ min: 0, check: b.appArmorProfile }] },
  { id: "capabilities_baseline", level: "baseline", versions: [{ min: 0, check: b.capabilitiesBaseline }] },
  { id: "hostNamespaces", level: "baseline", versions: [{ min: 0, check: b.hostNamespaces }] },
  { id: "hostPathVolumes", level: "baseline", versions: [{ min: 0, check: b.hostPathVolumes }] },
  { id: "hostPorts", level: "baseline", versions: [{ min: 0, check: b.hostPorts }] },
  { id: "hostProbesAndHostLifecycle", level: "baseline", versions: [{ min: 34, check: b.hostProbesAndHostLifecycle }] },
  { id: "privileged", level: "baseline", versions: [{ min: 0, check: b.privileged }] },
  {
    id: "procMount",
    level: "baseline",
    versions: [
      { min: 0, check: b.procMount(false) },
      { min: 35, check: b.procMount(true) },
    ],
  },
  {
    id: "seLinuxOptions",
    level: "baseline",
    versions: [
      { min: 0, check: b.seLinuxOptions("1.0") },
      { min: 31, check: b.seLinuxOptions("1.31") },
    ],
  },
  {
    id: "seccompProfile_baseline",
    level: "baseline",
    versions: [
      { min: 0, check: b.seccompAnnotations },
      { min: 19, check: b.seccompFields },
    ],
  },
  { id: "sysctls", level: "baseline", versions: b.SYSCTL_VERSIONS.map((min) => ({ min, check: b.sysctls(min) })) },
  { id: "windowsHostProcess", level: "baseline", versions: [{ min: 0, check: b.windowsHostProcess }] },
  {
    id: "allowPrivilegeEscalation",
    level: "restricted",
    versions: [
      { min: 8, check: r.allowPrivilegeEscalation(false) },
      { min: 25, check: r.allowPrivilegeEscalation(true) },
    ],
  },
  {
    id: "capabilities_restricted",
    level: "restricted",
    versions: [
      { min: 22, check: r.capabilitiesRestricted(false), overrides: ["capabilities_baseline"] },
      { min: 25, check: r.capabilitiesRestricted(true), overrides: ["capabilities_baseline"] },
    ],
  },
  { id: "procMount_restricted", level: "restricted", versions: [{ min: 35, check: b.procMount(false), overrides: ["procMount"] }] },
  { id: "restrictedVolumes", level: "restricted", versions: [{ min: 0, check: r.restrictedVolumes, overrides: ["hostPathVolumes"] }] },
  {
    id: "runAsNonRoot",
    level: "restricted",
    versions: [
      { min: 0, check: r.runAsNonRoot(false) },
      { min: 35, check: r.runAsNonRoot(true) },
    ],
  },
  {
    id: "runAsUser",
    level: "restricted",
    versions: [
      { min: 23, check: r.runAsUser(false) },
      { min: 35, check: r.runAsUser(true) },
    ],
  },
  {
    id: "seccompProfile_restricted",
    level: "restricted",
    versions: [
      { min: 19, check: r.seccompRestricted(false), overrides: ["seccompProfile_baseline"] },
      { min: 25, check: r.seccompRestricted(true), overrides: ["seccompProfile_baseline"] },
    ],
  },
];

/** The newest version any check changes at: later versions, and `latest`, evaluate as this one. */
export const NEWEST_CHECK_VERSION = Math.max(...CHECKS.flatMap((c) => c.versions.map((v) => v.min)));

/** The versions at which some check starts or changes: where verdicts can differ from the version before. */
export const BOUNDARY_VERSIONS: readonly number[] = [...new Set(CHECKS.flatMap((c) => c.versions.map((v) => v.min)))].filter((v) => v > 0).sort((x, y) => x - y);

/** Per level and (capped) version, the checks it runs: the same few lists for every pod of a run. */
const checkLists = new Map<string, b.CheckFn[]>();

/** The check implementations a level runs at a version (admission's registry, in the same order: baseline ids, then restricted). */
function checksFor(level: PssLevel, version: PssVersion): b.CheckFn[] {
  const v = Math.min(version, NEWEST_CHECK_VERSION);
  const key = `${level}:${v}`;
  let list = checkLists.get(key);
  if (!list) checkLists.set(key, (list = selectChecks(level, v)));
  return list;
}

function selectChecks(level: PssLevel, v: number): b.CheckFn[] {
  const selected = CHECKS.filter((c) => c.level === "baseline" || level === "restricted").flatMap((c) => {
    const at = c.versions.filter((x) => x.min <= v).pop();
    return at ? [{ id: c.id, level: c.level, at }] : [];
  });
  const overridden = new Set(selected.filter((s) => s.level === "restricted").flatMap((s) => s.at.overrides ?? []));
  return selected.filter((s) => !overridden.has(s.id)).map((s) => s.at.check);
}

const evaluated = new WeakMap<PodSpecRef, Map<string, PssViolation[]>>();

/** Every reason admission at that level and version would reject the pod (none: it admits it). */
export function evaluatePod(pod: PodSpecRef, level: PssLevel, version: PssVersion): PssViolation[] {
  const key = `${level}:${Math.min(version, NEWEST_CHECK_VERSION)}`;
  let byKey = evaluated.get(pod);
  if (!byKey) evaluated.set(pod, (byKey = new Map()));
  let out = byKey.get(key);
  if (!out) {
    out = checksFor(level, version).flatMap((check) => check(pod));
    byKey.set(key, out);
  }
  return out;
}
