// The Kubernetes workload model every k8s/* rule reads: where a workload keeps its pod spec,
// its containers (init and ephemeral included), their effective security context with
// Kubernetes' precedence, volumes, volume mounts, env entries and images.
//
// These types are a contract between rules: extend them, do not change what a field means.
//
// Locations, as SPEC.md defines them:
// - a field missing on a container → `ContainerRef.anchor` (its `- name:` entry);
// - a field missing on the pod → `PodSpecRef.anchor` (the key of the pod spec's `spec:` entry);
// - a wrong value → that value (`ScField.value`, `entry.value`).
//
// Kustomize patches (`K8sObject.patch`) set only some fields of the object they modify: their pod
// specs and containers are `partial`, and a rule reports a field a partial pod or container does
// not write only when it is wrong where it is written (a missing field is not a finding there).
// A container a patch adds to the object it modifies is not partial: it is checked like any
// container, inheriting the pod-level fields of the patch and, under them, of that object.
import { parseImageRef, type ImageRef } from "./image.js";
import { quote } from "../secrets/index.js";
import { normalizeCapability } from "./capabilities.js";
import type { K8sObject, Locatable, PEntry, PMap, PNode, PScalar } from "../types.js";
import { asMap, asScalar, asSeq, isFalse, isTrue, path, scalarString, stringMap } from "../parsers/yaml.js";

// ---------------------------------------------------------------- pod specs

/** Kinds that run pods (or hold a pod template), and where each keeps its pod spec (keys from the object's root). */
export const WORKLOAD_KINDS: Readonly<Record<string, readonly string[]>> = {
  Pod: ["spec"],
  Deployment: ["spec", "template", "spec"],
  StatefulSet: ["spec", "template", "spec"],
  DaemonSet: ["spec", "template", "spec"],
  ReplicaSet: ["spec", "template", "spec"],
  ReplicationController: ["spec", "template", "spec"],
  Job: ["spec", "template", "spec"],
  CronJob: ["spec", "jobTemplate", "spec", "template", "spec"],
  DeploymentConfig: ["spec", "template", "spec"], // OpenShift
  PodTemplate: ["template", "spec"],
};

/**
 * Where other objects keep a pod template: any kind whose `spec.template.spec` has `containers`
 * (Argo Rollouts, Knative Services, OpenKruise CloneSets, …), and KEDA's ScaledJob, whose Job
 * spec is `spec.jobTargetRef`. Their pods get the same checks as a Deployment's.
 */
const TEMPLATE_PATHS: readonly (readonly string[])[] = [
  ["spec", "template", "spec"],
  ["spec", "jobTargetRef", "template", "spec"],
];

/** Where an object keeps its pod spec: its kind's path, else a pod template holding containers. */
function podSpecPath(obj: K8sObject): readonly string[] | undefined {
  if (Object.prototype.hasOwnProperty.call(WORKLOAD_KINDS, obj.kind)) return WORKLOAD_KINDS[obj.kind];
  return TEMPLATE_PATHS.find((keys) => asSeq(path(obj.node, ...keys, "containers")) !== undefined);
}

/** A workload's pod spec. */
export interface PodSpecRef {
  obj: K8sObject;
  /** The pod spec map (`containers`, `volumes`, `securityContext`, `hostNetwork`, …). */
  spec: PMap;
  /** The `spec:` entry holding the pod spec: the location for a missing pod-level field. */
  specKey: PEntry;
  /** Where to report a missing pod-level field: the `spec` key itself (`specKey.keyRange`), one line. */
  anchor: Locatable;
  /** The pod template's `metadata` (undefined for a bare Pod, whose metadata is the object's). */
  templateMeta?: PMap;
  /** `Deployment signal-bot` — for messages. */
  label: string;
  /** `Deployment default/signal-bot` — for logicalLocation. */
  logical: string;
  /** The object is a Kustomize patch: a pod-level field it does not write is not missing (the patched object may set it). */
  partial: boolean;
  /** For a patch, the pod spec of the object it modifies, when that is among the scanned manifests. */
  base?: PodSpecRef;
}

const podCache = new WeakMap<K8sObject, PodSpecRef | null>();

/** The pod spec of a workload object, or undefined when the object runs no pods (or has no spec map). */
export function podSpecOf(obj: K8sObject): PodSpecRef | undefined {
  const cached = podCache.get(obj);
  if (cached !== undefined) return cached ?? undefined;
  const ref = computePodSpec(obj);
  podCache.set(obj, ref ?? null);
  return ref;
}

function computePodSpec(obj: K8sObject): PodSpecRef | undefined {
  const keys = podSpecPath(obj);
  if (!keys) return undefined;
  let parent: PMap | undefined = obj.node;
  let templateMeta: PMap | undefined;
  for (let i = 0; i < keys.length - 1; i++) {
    if (keys[i] === "template") templateMeta = asMap(asMap(parent?.get("template"))?.get("metadata"));
    parent = asMap(parent?.get(keys[i]));
    if (!parent) return undefined;
  }
  const specKey = parent?.entry(keys[keys.length - 1]);
  const spec = asMap(specKey?.value);
  if (!specKey || !spec) return undefined;
  const base = obj.patch?.target ? podSpecOf(obj.patch.target) : undefined;
  return {
    obj,
    spec,
    specKey,
    anchor: { range: specKey.keyRange },
    templateMeta,
    label: objectLabel(obj),
    logical: objectLogical(obj),
    partial: obj.patch !== undefined,
    ...(base ? { base } : {}),
  };
}

/** `Deployment signal-bot` */
export function objectLabel(obj: K8sObject): string {
  return `${quote(obj.kind)} ${obj.name ? quote(obj.name) : "(unnamed)"}`;
}

/** `Deployment default/signal-bot` */
export function objectLogical(obj: K8sObject): string {
  return `${quote(obj.kind)} ${quote(obj.namespace)}/${obj.name ? quote(obj.name) : "(unnamed)"}`;
}

/** Labels of the pods a workload creates: the template's labels, or a bare Pod's own. */
export function podLabels(pod: PodSpecRef): Record<string, string> {
  return pod.obj.kind === "Pod" ? pod.obj.labels : stringMap(pod.templateMeta?.get("labels"));
}

/** Annotations of the pods: the template's, or a bare Pod's own. */
export function podAnnotations(pod: PodSpecRef): Record<string, string> {
  return pod.obj.kind === "Pod" ? pod.obj.annotations : stringMap(pod.templateMeta?.get("annotations"));
}

/** The pods' annotations as written (entries, for locations): the template's, or a bare Pod's own. */
export function podAnnotationEntries(pod: PodSpecRef): PEntry[] {
  const meta = pod.obj.kind === "Pod" ? asMap(pod.obj.node.get("metadata")) : pod.templateMeta;
  return asMap(meta?.get("annotations"))?.entries ?? [];
}

/**
 * `spec.os.name: windows`: Kubernetes forbids the Linux-only securityContext fields on such pods
 * (seccompProfile, seLinuxOptions, capabilities, privileged, allowPrivilegeEscalation,
 * readOnlyRootFilesystem, procMount, runAsUser, runAsGroup), so rules do not ask for them.
 */
export function isWindowsPod(pod: PodSpecRef): boolean {
  return scalarString(asMap(pod.spec.get("os"))?.get("name"))?.toLowerCase() === "windows";
}

/** A pod-level field's entry (e.g. `hostNetwork`, `automountServiceAccountToken`), if written. */
export function podField(pod: PodSpecRef, key: string): PEntry | undefined {
  return pod.spec.entry(key);
}

/** The pod's securityContext map, if any. */
export function podSecurityContext(pod: PodSpecRef): PMap | undefined {
  return asMap(pod.spec.get("securityContext"));
}

/** The ServiceAccount the pods run as: `serviceAccountName`, the deprecated `serviceAccount`, else "default". */
export function serviceAccountNameOf(pod: PodSpecRef): string {
  return scalarString(pod.spec.get("serviceAccountName")) || scalarString(pod.spec.get("serviceAccount")) || "default";
}

// ---------------------------------------------------------------- containers

export type ContainerKind = "container" | "initContainer" | "ephemeralContainer";

const CONTAINER_LISTS: readonly [string, ContainerKind][] = [
  ["initContainers", "initContainer"],
  ["containers", "container"],
  ["ephemeralContainers", "ephemeralContainer"],
];

/** One container of a pod spec. */
export interface ContainerRef {
  /** The container map. */
  node: PMap;
  /** The list item (same node as `node`; kept for symmetry with other selectors). */
  item: PNode;
  /** The container's `name` entry: the location for a missing container field, if it has a name. */
  nameEntry: PEntry | undefined;
  /** Where to report a missing container field: `nameEntry`, else the container map. */
  anchor: Locatable;
  /** The container's name, or `containers[0]` style when it has none. */
  name: string;
  kind: ContainerKind;
  /** The list it comes from: `containers`, `initContainers` or `ephemeralContainers`. */
  list: string;
  index: number;
  pod: PodSpecRef;
  /** `container "bot" in Deployment signal-bot` (`init container …`, `ephemeral container …`). */
  label: string;
  /** `Deployment default/signal-bot containers[bot]` */
  logical: string;
  /**
   * A container of a Kustomize patch that modifies a container of the patched object (or whose
   * patched object is not among the scanned manifests): a field it does not write is not missing.
   * A container the patch adds is not partial.
   */
  partial: boolean;
}

const KIND_WORD: Record<ContainerKind, string> = {
  container: "container",
  initContainer: "init container",
  ephemeralContainer: "ephemeral container",
};

const containerCache = new WeakMap<PodSpecRef, ContainerRef[]>();

/** Every container of the pod spec: init containers, containers, then ephemeral containers. */
export function containersOf(pod: PodSpecRef): ContainerRef[] {
  const cached = containerCache.get(pod);
  if (cached) return cached;
  const out: ContainerRef[] = [];
  for (const [list, kind] of CONTAINER_LISTS) {
    const seq = asSeq(pod.spec.get(list));
    seq?.items.forEach((item, index) => {
      const node = asMap(item);
      if (!node || scalarString(node.get("$patch")) === "delete") return; // a patch removing the container
      const nameEntry = node.entry("name");
      const written = scalarString(nameEntry?.value);
      const name = written ?? `${list}[${index}]`;
      const added = pod.base !== undefined && written !== undefined && !containersOf(pod.base).some((b) => b.list === list && b.name === written);
      out.push({
        node,
        item,
        nameEntry: nameEntry,
        anchor: nameEntry ?? node,
        name,
        kind,
        list,
        index,
        pod,
        label: `${KIND_WORD[kind]} ${written !== undefined ? `"${quote(written)}"` : name} in ${pod.label}`,
        logical: `${pod.logical} ${list}[${written !== undefined ? quote(written) : index}]`,
        partial: pod.partial && !added,
      });
    });
  }
  containerCache.set(pod, out);
  return out;
}

/** Calls fn for each container of a workload object (nothing for non-workloads). */
export function forEachContainer(obj: K8sObject, fn: (c: ContainerRef) => void): void {
  const pod = podSpecOf(obj);
  if (pod) for (const c of containersOf(pod)) fn(c);
}

/** The container's securityContext map, if any. */
export function containerSecurityContext(c: ContainerRef): PMap | undefined {
  return asMap(c.node.get("securityContext"));
}

// ---------------------------------------------------------------- effective security context

/** Fields a container inherits from the pod's securityContext unless it sets them itself. */
export type InheritedField =
  | "runAsNonRoot"
  | "runAsUser"
  | "runAsGroup"
  | "seccompProfile"
  | "seLinuxOptions"
  | "windowsOptions"
  | "appArmorProfile";

/** Fields that exist only on a container's securityContext: never read from the pod level. */
export type ContainerOnlyField = "privileged" | "allowPrivilegeEscalation" | "readOnlyRootFilesystem" | "capabilities" | "procMount";

export const INHERITED_FIELDS: readonly InheritedField[] = [
  "runAsNonRoot",
  "runAsUser",
  "runAsGroup",
  "seccompProfile",
  "seLinuxOptions",
  "windowsOptions",
  "appArmorProfile",
];

/** A securityContext field in effect for a container, and where it was written. */
export interface ScField {
  /** The `key: value` entry as written. */
  entry: PEntry;
  /** The value: point here when the value is wrong. */
  value: PNode;
  /**
   * Written on the container's securityContext, or inherited from the pod's; "base": inherited by
   * a container a Kustomize patch adds, from the pod spec of the object the patch modifies (another
   * file, which reports a wrong value itself).
   */
  from: "container" | "pod" | "base";
}

/** An entry that is written with a non-null value (`runAsUser:` alone is unset, as in Kubernetes). */
export function setEntry(map: PMap | undefined, key: string): PEntry | undefined {
  const e = map?.entry(key);
  if (!e) return undefined;
  const s = asScalar(e.value);
  if (s && s.value === null) return undefined;
  return e;
}

/**
 * The field in effect for a container, with Kubernetes' precedence: the container's
 * securityContext wins, else the pod's for inherited fields. Container-only fields
 * (privileged, allowPrivilegeEscalation, readOnlyRootFilesystem, capabilities, procMount)
 * are never read from the pod, where Kubernetes ignores them.
 */
export function effectiveSecurityField(c: ContainerRef, field: InheritedField | ContainerOnlyField): ScField | undefined {
  const own = setEntry(containerSecurityContext(c), field);
  if (own) return { entry: own, value: own.value, from: "container" };
  if (!(INHERITED_FIELDS as readonly string[]).includes(field)) return undefined;
  const inherited = setEntry(podSecurityContext(c.pod), field);
  if (inherited) return { entry: inherited, value: inherited.value, from: "pod" };
  const base = c.pod.base && setEntry(podSecurityContext(c.pod.base), field);
  return base ? { entry: base, value: base.value, from: "base" } : undefined;
}

/** An integer field's value (`runAsUser`), or undefined when absent or not an integer. */
export function intValue(node: PNode | undefined): number | undefined {
  const s = asScalar(node);
  if (!s) return undefined;
  if (typeof s.value === "number" && Number.isInteger(s.value)) return s.value;
  if (typeof s.value === "string" && /^\s*[+-]?\d+\s*$/.test(s.value)) return Number.parseInt(s.value, 10);
  return undefined;
}

export { isTrue, isFalse };

/** A container's capabilities, as written on its own securityContext (never the pod's). */
export interface Capabilities {
  /** The `capabilities` entry, if any. */
  entry: PEntry | undefined;
  dropEntry: PEntry | undefined;
  addEntry: PEntry | undefined;
  /** Upper-cased names without a `CAP_` prefix, each with its scalar. */
  drop: { name: string; node: PScalar }[];
  add: { name: string; node: PScalar }[];
}

export function capabilitiesOf(c: ContainerRef): Capabilities {
  const entry = containerSecurityContext(c)?.entry("capabilities");
  const caps = asMap(entry?.value);
  const list = (e: PEntry | undefined) =>
    (asSeq(e?.value)?.items ?? []).flatMap((i) => {
      const s = asScalar(i);
      const v = scalarString(s);
      return s && v ? [{ name: normalizeCapability(v), node: s }] : [];
    });
  const dropEntry = caps?.entry("drop");
  const addEntry = caps?.entry("add");
  return { entry, dropEntry, addEntry, drop: list(dropEntry), add: list(addEntry) };
}

export { normalizeCapability };

// ---------------------------------------------------------------- volumes and mounts

/** One entry of the pod's `volumes`. */
export interface VolumeRef {
  node: PMap;
  /** The volume's name ("" when it has none). */
  name: string;
  nameEntry: PEntry | undefined;
  /** Where to report about the volume as a whole: `nameEntry`, else the map. */
  anchor: Locatable;
  /**
   * The volume source's key: `secret`, `configMap`, `hostPath`, `emptyDir`, `projected`,
   * `persistentVolumeClaim`, … (the first key other than `name`); undefined when none.
   */
  type: string | undefined;
  /** The volume source's entry (`secret: {...}`) and its map, when it is a map. */
  sourceEntry: PEntry | undefined;
  source: PMap | undefined;
  pod: PodSpecRef;
  /** `volume "creds" in Deployment signal-bot` */
  label: string;
  /** `Deployment default/signal-bot volumes[creds]` */
  logical: string;
  /** A volume of a Kustomize patch that modifies a volume of the patched object (or whose object is unknown): a field it does not write is not missing. */
  partial: boolean;
}

const volumeCache = new WeakMap<PodSpecRef, VolumeRef[]>();

export function volumesOf(pod: PodSpecRef): VolumeRef[] {
  const cached = volumeCache.get(pod);
  if (cached) return cached;
  const out: VolumeRef[] = [];
  asSeq(pod.spec.get("volumes"))?.items.forEach((item, index) => {
    const node = asMap(item);
    if (!node) return;
    const nameEntry = node.entry("name");
    const name = scalarString(nameEntry?.value) ?? "";
    const sourceEntry = node.entries.find((e) => e.key !== "name" && e.key !== "$patch");
    const added = pod.base !== undefined && name !== "" && !volumesOf(pod.base).some((b) => b.name === name);
    out.push({
      node,
      name,
      nameEntry,
      anchor: nameEntry ?? node,
      type: sourceEntry?.key,
      sourceEntry,
      source: asMap(sourceEntry?.value),
      pod,
      label: `volume ${name ? `"${quote(name)}"` : `volumes[${index}]`} in ${pod.label}`,
      logical: `${pod.logical} volumes[${name ? quote(name) : index}]`,
      partial: pod.partial && !added,
    });
  });
  volumeCache.set(pod, out);
  return out;
}

/** The pod's volume of that name. */
export function volumeNamed(pod: PodSpecRef, name: string): VolumeRef | undefined {
  return volumesOf(pod).find((v) => v.name === name);
}

/** One entry of a container's `volumeMounts`. */
export interface MountRef {
  node: PMap;
  /** The volume name it mounts. */
  name: string;
  nameEntry: PEntry | undefined;
  mountPath: string | undefined;
  /** The `readOnly` entry, if written. */
  readOnlyEntry: PEntry | undefined;
  /** `readOnly: true` is written. */
  readOnly: boolean;
  container: ContainerRef;
  /** The pod volume it mounts, when the pod declares it. */
  volume: VolumeRef | undefined;
}

export function mountsOf(c: ContainerRef): MountRef[] {
  return (asSeq(c.node.get("volumeMounts"))?.items ?? []).flatMap((item) => {
    const node = asMap(item);
    if (!node) return [];
    const nameEntry = node.entry("name");
    const name = scalarString(nameEntry?.value) ?? "";
    const readOnlyEntry = node.entry("readOnly");
    return [
      {
        node,
        name,
        nameEntry,
        mountPath: scalarString(node.get("mountPath")),
        readOnlyEntry,
        readOnly: isTrue(readOnlyEntry?.value),
        container: c,
        volume: name ? volumeNamed(c.pod, name) : undefined,
      },
    ];
  });
}

/** Every mount of a volume, across the pod's containers. */
export function mountsOfVolume(v: VolumeRef): MountRef[] {
  return containersOf(v.pod).flatMap((c) => mountsOf(c).filter((m) => m.name === v.name));
}

// ---------------------------------------------------------------- env

/** One entry of a container's `env`. */
export interface EnvRef {
  node: PMap;
  name: string;
  nameEntry: PEntry | undefined;
  /** The `value` entry, for a literal value. */
  valueEntry: PEntry | undefined;
  /** `valueFrom`, for secretKeyRef / configMapKeyRef / fieldRef / resourceFieldRef. */
  valueFrom: PMap | undefined;
  container: ContainerRef;
}

export function envOf(c: ContainerRef): EnvRef[] {
  return (asSeq(c.node.get("env"))?.items ?? []).flatMap((item) => {
    const node = asMap(item);
    if (!node) return [];
    const nameEntry = node.entry("name");
    return [
      {
        node,
        name: scalarString(nameEntry?.value) ?? "",
        nameEntry,
        valueEntry: node.entry("value"),
        valueFrom: asMap(node.get("valueFrom")),
        container: c,
      },
    ];
  });
}

// ---------------------------------------------------------------- images

/** An image reference split into its parts. */
/** A container's `image` value, if it is a valid reference (templated ones — `{{ … }}`, `${…}` — are not). */
export function imageOf(c: ContainerRef): { node: PScalar; entry: PEntry; ref: ImageRef } | undefined {
  const entry = c.node.entry("image");
  const node = asScalar(entry?.value);
  const ref = parseImageRef(scalarString(node) ?? "");
  return entry && node && ref ? { node, entry, ref } : undefined;
}
