// What a policy's schemas see (SPEC §10 "Targets"), read with the selectors the built-in rules use:
// `podSpecOf`/`containersOf` (every workload kind, init and ephemeral containers), compose
// services with their merge keys, Dockerfile stages and instructions. Each target knows where a
// JSON pointer into its value is written, so a schema error is reported at that key or value.
import type { ComposeDoc, ComposeService, DockerInstruction, DockerStage, DockerfileDoc, K8sObject, PEntry, PMap, PNode, Region } from "../types.js";
import { containersOf, objectLogical, podSpecOf } from "../selectors/k8s.js";
import { serviceLabel, serviceLocation } from "../selectors/compose.js";
import { flagValue, keywordOf, keywordRegion, stageUser } from "../selectors/docker.js";
import { parseImageRef } from "../selectors/image.js";
import { asMap, scalarString, toPlain } from "../parsers/yaml.js";
import { quote } from "../secrets/index.js";

export interface Target {
  /** The value the schemas validate. */
  value: unknown;
  /** Where the node at a JSON pointer (as segments) is written: the deepest part of it the file has. */
  locate(segments: string[]): Region;
  /** `container "bot" in Deployment default/signal-bot`: {{label}} in messages. */
  label: string;
  /** The finding's logical location (fingerprints, SARIF). */
  logical: string;
  /** A Kustomize patch sets only some fields: a missing one is not a finding there. */
  partial?: boolean;
  /** The compose service, for reporting a node that merge keys share once. */
  service?: ComposeService;
}

// ---------------------------------------------------------------- YAML-backed targets

/** Plain values, once per node for every policy of the run (the schemas only read them). */
const plainCache = new WeakMap<PNode, unknown>();

function plainOf(node: PNode): unknown {
  if (plainCache.has(node)) return plainCache.get(node);
  const value = toPlain(node);
  plainCache.set(node, value);
  return value;
}

/**
 * Locates a pointer in a YAML tree: a scalar at its value, a mapping or list at the key that holds
 * it (one line, not the whole block), the root at `anchor` (SPEC §10: where a missing field is
 * reported). A pointer past what the file writes stops at the deepest node it reaches.
 */
function yamlLocator(root: PNode, anchor: Region): (segments: string[]) => Region {
  return (segments) => {
    let node: PNode = root;
    let holder: PEntry | undefined;
    for (const s of segments) {
      if (node.type === "map") {
        const e = node.entry(s);
        if (!e) break;
        holder = e;
        node = e.value;
      } else if (node.type === "seq") {
        const item = node.items[Number(s)];
        if (!item) break;
        holder = undefined;
        node = item;
      } else break;
    }
    if (node === root) return anchor;
    if (node.type === "scalar") return node.range;
    if (holder) return holder.keyRange;
    // A list item that is a mapping (`- name: x`): its first key.
    return node.type === "map" && node.entries.length > 0 ? node.entries[0].keyRange : firstLine(node.range);
  };
}

function firstLine(r: Region): Region {
  return r.endLine === r.startLine ? r : { startLine: r.startLine, startColumn: r.startColumn, endLine: r.startLine, endColumn: r.startColumn + 1 };
}

export function k8sTargets(target: string, obj: K8sObject): Target[] {
  const partial = obj.patch !== undefined;
  if (target === "k8s/object") {
    const anchor = obj.kindNode?.keyRange ?? firstLine(obj.node.range);
    const logical = objectLogical(obj);
    return [{ value: plainOf(obj.node), locate: yamlLocator(obj.node, anchor), label: logical, logical, partial }];
  }
  const pod = podSpecOf(obj);
  if (!pod) return [];
  if (target === "k8s/pod-spec") {
    return [{ value: plainOf(pod.spec), locate: yamlLocator(pod.spec, pod.anchor.range), label: `the pod spec of ${pod.logical}`, logical: pod.logical, partial: pod.partial }];
  }
  return containersOf(pod).map((c) => ({
    value: plainOf(c.node),
    locate: yamlLocator(c.node, c.anchor.range),
    // The container's own words (`init container "x"`), naming the object with its namespace.
    label: `${c.label.slice(0, c.label.length - pod.label.length)}${pod.logical}`,
    logical: c.logical,
    partial: c.partial,
  }));
}

export function composeTargets(target: string, doc: ComposeDoc): Target[] {
  if (target === "compose/file") {
    const anchor = doc.root.entries[0]?.keyRange ?? firstLine(doc.root.range);
    return [{ value: plainOf(doc.root), locate: yamlLocator(doc.root, anchor), label: `compose file ${quote(doc.file.path)}`, logical: doc.file.path }];
  }
  return doc.services.map((service) => {
    const node = withExtends(doc, service);
    return { value: node === service.node ? plainOf(node) : toPlain(node), locate: yamlLocator(node, service.keyRange), label: serviceLabel(service), logical: serviceLocation(service), service };
  });
}

/**
 * A service with what it `extends` from the same file applied: its own keys win, mappings are
 * merged key by key (environment, labels, deploy …), anything else is taken whole from the nearest
 * definition that sets it. Merge keys (`<<: *defaults`) are applied by the parser already. Each
 * key keeps the location of the definition it comes from.
 */
function withExtends(doc: ComposeDoc, service: ComposeService): PMap {
  const chain: PMap[] = [];
  const seen = new Set<PMap>();
  let current: ComposeService | undefined = service;
  while (current && !seen.has(current.node) && chain.length < 16) {
    seen.add(current.node);
    chain.push(current.node);
    const ext = current.node.get("extends");
    if (asMap(ext)?.get("file")) break; // another file: not applied (SPEC: same-file extends)
    const name = scalarString(asMap(ext)?.get("service") ?? ext);
    current = name ? doc.services.find((s) => s.name === name) : undefined;
  }
  return chain.length === 1 ? service.node : chain.reduce((own, base) => mergeMaps(own, base));
}

function mergeMaps(own: PMap, base: PMap): PMap {
  const entries: PEntry[] = [...own.entries];
  for (const b of base.entries) {
    if (b.key === "extends") continue;
    const i = entries.findIndex((e) => e.key === b.key);
    if (i === -1) entries.push(b);
    else if (entries[i].value.type === "map" && b.value.type === "map") entries[i] = { ...entries[i], value: mergeMaps(entries[i].value as PMap, b.value) };
  }
  return mapOf(own.range, entries);
}

function mapOf(range: Region, entries: PEntry[]): PMap {
  return {
    type: "map",
    range,
    entries,
    get: (key) => entries.find((e) => e.key === key)?.value,
    entry: (key) => entries.find((e) => e.key === key),
  };
}

// ---------------------------------------------------------------- Dockerfile targets

export function dockerfileTargets(target: string, doc: DockerfileDoc): Target[] {
  if (target === "dockerfile/stage") return doc.stages.map((stage) => stageTarget(doc, stage));
  return doc.instructions.map((ins) => instructionTarget(doc, ins));
}

function stageName(stage: DockerStage): string {
  return stage.alias !== undefined ? `stage "${quote(stage.alias)}"` : `stage ${stage.index}`;
}

/** `{ image, tag, digest, name, platform, final, user, instructions }` (absent parts left out; `user` null when the stage sets none). */
function stageTarget(doc: DockerfileDoc, stage: DockerStage): Target {
  const from = stage.from;
  const written = stage.resolvedImage ?? stage.image;
  const ref = parseImageRef(written);
  const platform = flagValue(from, "platform");
  const user = stageUser(stage);
  const body = stage.instructions.filter((i) => i !== from);
  const value: Record<string, unknown> = { image: ref?.name ?? written };
  if (ref?.tag !== undefined) value.tag = ref.tag;
  if (ref?.digest !== undefined) value.digest = ref.digest;
  if (stage.alias !== undefined) value.name = stage.alias;
  if (platform) value.platform = platform;
  value.final = stage === doc.finalStage;
  value.user = user?.user ?? null;
  value.instructions = body.map((i) => ({ keyword: i.keyword, args: i.args }));
  const asIndex = from.args.findIndex((a) => a.toUpperCase() === "AS");
  const fromLine = keywordRegion(from);
  return {
    value,
    locate: ([key, i, part, j]) => {
      if (key === "image" || key === "tag" || key === "digest") return from.argRanges[0] ?? fromLine;
      if (key === "name") return from.argRanges[asIndex + 1] ?? fromLine;
      if (key === "platform") return from.flags.find((f) => f.name.toLowerCase() === "platform")?.range ?? fromLine;
      if (key === "user") return user ? user.instruction.range : fromLine;
      if (key === "instructions" && i !== undefined && body[Number(i)]) return instructionPart(body[Number(i)], part, j);
      return fromLine;
    },
    label: `${stage === doc.finalStage ? "final " : ""}${stageName(stage)} (FROM ${quote(stage.image)})`,
    logical: stageName(stage),
  };
}

/** `{ keyword, args, flags, stage, final }`: `stage` is the stage's name (`AS name`) or null. */
function instructionTarget(doc: DockerfileDoc, ins: DockerInstruction): Target {
  const stage = doc.stages[ins.stage]?.instructions.includes(ins) ? doc.stages[ins.stage] : undefined; // an ARG before the first FROM has none
  const value = {
    keyword: ins.keyword,
    args: ins.args,
    flags: Object.fromEntries(ins.flags.map((f) => [f.name, f.value])),
    stage: stage?.alias ?? null,
    final: stage !== undefined && stage === doc.finalStage,
  };
  return {
    value,
    locate: ([part, j]) => instructionPart(ins, part, j),
    label: `${keywordOf(ins)}${stage ? ` in ${stageName(stage)}` : " before the first FROM"}`,
    logical: `${stage ? stageName(stage) : "preamble"} ${keywordOf(ins)}`,
  };
}

function instructionPart(ins: DockerInstruction, part: string | undefined, j: string | undefined): Region {
  if (part === "args" && j !== undefined && ins.argRanges[Number(j)]) return ins.argRanges[Number(j)];
  if (part === "flags" && j !== undefined) return ins.flags.find((f) => f.name === j)?.range ?? keywordRegion(ins);
  return keywordRegion(ins);
}
