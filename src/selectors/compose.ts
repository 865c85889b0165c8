// Selectors for docker-compose services: the compose file format read once, for every compose/* rule.
// Short and long port/volume syntax, environment in map and list form, env_file in its three
// forms, `${VAR:-default}` interpolation, `extends`, and compose files merged with each other.
import type { ComposeDoc, ComposeService, DockerStage, DockerfileDoc, Locatable, PEntry, PMap, PNode, PScalar, Region, ReportInput, SourceFile } from "../types.js";
import type { RuleContext } from "../rule.js";
import type { Workspace } from "../workspace/workspace.js";
import { asMap, asScalar, asSeq, parseYaml, scalarString } from "../parsers/yaml.js";
import { composeDocOf } from "../parsers/compose.js";
import { interpolate, withDefaults, type Variables } from "../parsers/compose-vars.js";
import { joinPosix, posixDir } from "../workspace/paths.js";
import { BRACED_REFERENCE, REFERENCE } from "./references.js";
import { keyList, quote } from "../secrets/index.js";

// ---------------------------------------------------------------------------------------------
// naming and reporting

/** `service "signal-api"`, the way messages name a service (names are quoted: see quote()). */
export function serviceLabel(service: ComposeService): string {
  return `service "${quote(service.name)}"`;
}

/** `service signal-api`, the logical location of a finding. */
export function serviceLocation(service: ComposeService): string {
  return `service ${quote(service.name)}`;
}

/** A scalar as text: strings as they are, numbers and booleans as written. */
export function scalarText(node: PNode | undefined): string | undefined {
  const s = asScalar(node);
  if (!s || s.value === null) return undefined;
  return typeof s.value === "string" ? s.value : s.source || String(s.value);
}

/**
 * A node's region without trailing whitespace: a block map's range runs to the start of the next
 * line, so a long-syntax list item is pointed at from its first key to its last value.
 */
export function tightRegion(node: PNode): Region {
  if (node.type === "map" && node.entries.length > 0) {
    const last = node.entries[node.entries.length - 1];
    const end = last.value.type === "map" || last.value.type === "seq" ? tightRegion(last.value) : last.range;
    return { ...node.range, endLine: end.endLine, endColumn: end.endColumn };
  }
  if (node.type === "seq" && node.items.length > 0) {
    const end = tightRegion(node.items[node.items.length - 1]);
    return { ...node.range, endLine: end.endLine, endColumn: end.endColumn };
  }
  return node.range;
}

const regionKey = (r: Region) => `${r.startLine}:${r.startColumn}:${r.endLine}:${r.endColumn}`;

/**
 * Reports once per location. YAML anchors and merge keys (`<<: *defaults`) share one node between
 * services: the value is written once, so it is reported once, naming every service that uses it.
 */
export function serviceReporter(ctx: RuleContext) {
  const pending = new Map<string, { services: ComposeService[]; build: (label: string) => ReportInput }>();
  return {
    report(service: ComposeService, at: Locatable | Region, message: (label: string) => string, extra: Partial<ReportInput> = {}) {
      const region = "type" in at ? tightRegion(at as PNode) : "range" in at ? at.range : at;
      const key = regionKey(region);
      const existing = pending.get(key);
      if (existing) {
        if (!existing.services.includes(service)) existing.services.push(service);
        return;
      }
      pending.set(key, {
        services: [service],
        build: (label) => ({ region, message: message(label), ...extra }),
      });
    },
    flush() {
      for (const { services, build } of pending.values()) {
        const label = services.length === 1 ? serviceLabel(services[0]) : `services ${services.map((s) => `"${quote(s.name)}"`).join(", ")}`;
        ctx.report({ ...build(label), logicalLocation: services.map(serviceLocation).join(", ") });
      }
      pending.clear();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// interpolation (src/parsers/compose-vars.ts): a service's values read with its project's `.env`

export { interpolate, withDefaults, envFileEntries, type Interpolated, type Variables } from "../parsers/compose-vars.js";

/** How a value with references got its value, for messages: "the default of `${TAG:-latest}`", or "`${TAG}` with TAG from the project's .env". */
export function howInterpolated(text: string, variables: Variables): string {
  const fromEnv = [...new Set(interpolate(text, variables).references.filter((r) => r.value !== undefined).map((r) => r.name))];
  return fromEnv.length > 0 ? `\`${quote(text)}\` with ${keyList(fromEnv)} from the project's .env` : `the default of \`${quote(text)}\``;
}

/** A value of the service as compose reads it: the project's `.env` variables and the defaults substituted; undefined when a variable is set nowhere. */
export function resolvedText(service: ComposeService, node: PNode | undefined): string | undefined {
  const text = scalarText(node);
  return text === undefined || !text.includes("$") ? text : withDefaults(text, service.variables);
}

/** An item of a list the service sets (`cap_add`, `devices`, `security_opt`), as written and as compose reads it. */
export interface ListValue {
  node: PNode;
  written: string;
  value: string;
  /** For messages: how interpolation gave the value (" (the default of `${CAP:-ALL}`)"), or "". */
  via: string;
}

/** The scalar items of a list the service sets, resolved (items whose variables are set nowhere are left out). */
export function listValues(service: ComposeService, key: string): ListValue[] {
  return (asSeq(service.node.get(key))?.items ?? []).flatMap((node) => {
    const written = scalarText(node);
    const value = resolvedText(service, node);
    if (written === undefined || value === undefined) return [];
    return [{ node, written, value, via: value !== written ? ` (${howInterpolated(written, service.variables)})` : "" }];
  });
}

// ---------------------------------------------------------------------------------------------
// services seen together: `extends`, and the other compose files of the same project

/** A compose service is a fragment when it has neither `image`, `build` nor `extends`: another file completes it. */
export function isFragment(service: ComposeService): boolean {
  return !service.node.get("image") && !service.node.get("build") && !service.node.get("extends");
}

export interface ServiceDefinition {
  doc: ComposeDoc;
  service: ComposeService;
}

/** A service's definitions; `incomplete` when it `extends` a service that is not among the scanned files. */
export type ServiceDefinitions = ServiceDefinition[] & { incomplete: boolean };

/**
 * The definitions that make up a service at run time, the service's own first: the services it
 * `extends` (in this file or another scanned compose file) and the same-named service in the other
 * compose files of its directory (`compose.yaml` + `compose.override.yaml`, `docker-compose.prod.yml` …),
 * which compose merges with it.
 */
export function definitionsOf(doc: ComposeDoc, service: ComposeService, workspace: Workspace): ServiceDefinitions {
  const out: ServiceDefinitions = Object.assign([] as ServiceDefinition[], { incomplete: false });
  const seen = new Set<PMap>();
  const visit = (d: ComposeDoc, s: ComposeService, depth: number) => {
    if (seen.has(s.node) || depth > 16) return;
    seen.add(s.node);
    out.push({ doc: d, service: s });
    const ext = s.node.get("extends");
    const extMap = asMap(ext);
    const baseName = scalarString(extMap ? extMap.get("service") : ext);
    if (!baseName) return;
    const fileRef = scalarString(extMap?.get("file"));
    const target = fileRef ? composeDocAt(workspace, joinPosix(posixDir(d.file.path), fileRef)) : d;
    const base = target?.services.find((x) => x.name === baseName);
    if (target && base) visit(target, base, depth + 1);
    else out.incomplete = true; // extends a file that is not scanned (or not a compose file by name)
  };
  visit(doc, service, 0);
  for (const other of composeDocsIn(workspace, posixDir(doc.file.path))) {
    if (other === doc) continue;
    const same = other.services.find((s) => s.name === service.name);
    if (same) visit(other, same, 1);
  }
  return out;
}

const byDir = new WeakMap<Workspace, Map<string, ComposeDoc[]>>();

/** The compose files of one directory (a compose project's base and override files). */
function composeDocsIn(workspace: Workspace, dir: string): ComposeDoc[] {
  let index = byDir.get(workspace);
  if (!index) {
    index = new Map();
    for (const c of workspace.composeDocs) {
      const d = posixDir(c.file.path);
      const list = index.get(d);
      if (list) list.push(c);
      else index.set(d, [c]);
    }
    byDir.set(workspace, index);
  }
  return index.get(dir) ?? [];
}

const parsedExtra = new WeakMap<SourceFile, ComposeDoc | null>();

/** A compose document by path: a scanned compose file, or another scanned YAML file that `extends` names. */
function composeDocAt(workspace: Workspace, relPath: string): ComposeDoc | undefined {
  const known = workspace.composeDocs.find((c) => c.file.path === relPath);
  if (known) return known;
  const file = workspace.file(relPath);
  if (!file || (file.kind !== "yaml" && file.kind !== "compose")) return undefined;
  let doc = parsedExtra.get(file);
  if (doc === undefined) {
    const parsed = parseYaml(file, "1.2");
    doc = (parsed.problems.length === 0 && composeDocOf(file, parsed.docs[0]?.root)) || null;
    parsedExtra.set(file, doc);
  }
  return doc ?? undefined;
}

/** The first definition of a service (its own, then those it is merged with) that sets a key. */
export function effectiveEntry(defs: ServiceDefinition[], key: string): (ServiceDefinition & { entry: PEntry }) | undefined {
  for (const d of defs) {
    const entry = d.service.node.entry(key);
    // `key:` with no value is as good as absent.
    if (entry && !(entry.value.type === "scalar" && entry.value.value === null)) return { ...d, entry };
  }
  return undefined;
}

/** Every item of a list-valued key across a service's definitions (compose concatenates them). */
export function mergedItems(defs: ServiceDefinition[], key: string): { def: ServiceDefinition; node: PNode; text: string | undefined }[] {
  return defs.flatMap((def) => (asSeq(def.service.node.get(key))?.items ?? []).map((node) => ({ def, node, text: scalarText(node) })));
}

// ---------------------------------------------------------------------------------------------
// ports

export interface PortBinding {
  /** The list item: a scalar in short syntax, a map in long syntax. */
  node: PNode;
  /** Host IP as written (brackets removed), "" when none. */
  hostIp: string;
  /** Whether the host IP comes from a variable with no default (the operator chooses it). */
  hostIpFromVariable: boolean;
  /** Published host port(s) as written, "" for a random port. */
  published: string;
  /** Container port(s). */
  target: string;
  protocol: string;
  /** How it was written, for messages. */
  text: string;
}

/** Published ports of a service (`ports:`), short and long syntax. `expose:` publishes nothing. */
export function portBindings(service: ComposeService): PortBinding[] {
  const out: PortBinding[] = [];
  for (const item of asSeq(service.node.get("ports"))?.items ?? []) {
    const map = asMap(item);
    if (map) {
      const hostIpRaw = scalarText(map.get("host_ip")) ?? "";
      const ip = hostIpOf(hostIpRaw, service.variables);
      const target = resolvedText(service, map.get("target")) ?? scalarText(map.get("target")) ?? "";
      const published = resolvedText(service, map.get("published")) ?? scalarText(map.get("published")) ?? "";
      if (target === "") continue;
      out.push({
        node: item,
        hostIp: ip.ip,
        hostIpFromVariable: ip.fromVariable,
        published,
        target,
        protocol: scalarText(map.get("protocol")) ?? "tcp",
        text: published ? `${published}:${target}` : target,
      });
      continue;
    }
    const text = scalarText(item);
    if (text === undefined) continue;
    // Compose interpolates the whole mapping before reading it (`${PORT}:80` with PORT from `.env`).
    const concrete = text.includes("$") ? withDefaults(text, service.variables) : undefined;
    // `- ${API_PORT}` set nowhere: the whole mapping, host IP included, is chosen at deploy time.
    if (concrete === undefined && /^\s*(?:\$\{[^}]*\}|\$[A-Za-z_][A-Za-z0-9_]*)\s*$/.test(text)) continue;
    const parsed = parseShortPort(concrete ?? text, service.variables);
    if (parsed && parsed.target !== "") out.push({ node: item, ...parsed, text });
  }
  return out;
}

function hostIpOf(raw: string, variables: Variables | undefined): { ip: string; fromVariable: boolean } {
  const trimmed = raw.trim();
  if (!trimmed.includes("$")) return { ip: stripBrackets(trimmed), fromVariable: false };
  const resolved = withDefaults(trimmed, variables);
  // `${BIND_IP}` with no default: the operator sets the address; `${BIND_IP:-127.0.0.1}` is read with its default.
  return resolved === undefined ? { ip: trimmed, fromVariable: true } : { ip: stripBrackets(resolved.trim()), fromVariable: false };
}

const stripBrackets = (s: string) => (s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s);

/** `[[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL]`, with IPv6 host IPs bracketed or not. */
export function parseShortPort(text: string, variables?: Variables): Omit<PortBinding, "node" | "text"> | undefined {
  // Interpolations may hold colons (`${IP:-127.0.0.1}`): hide them while splitting.
  const refs: string[] = [];
  const masked = text.trim().replace(BRACED_REFERENCE, (m) => `\u0000${refs.push(m) - 1}\u0000`);
  const unmask = (s: string) => s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => refs[Number(n)]);
  let rest = masked;
  let protocol = "tcp";
  const slash = rest.lastIndexOf("/");
  if (slash !== -1) {
    protocol = rest.slice(slash + 1);
    rest = rest.slice(0, slash);
  }
  let hostIpRaw = "";
  if (rest.startsWith("[")) {
    const close = rest.indexOf("]");
    if (close === -1) return undefined;
    hostIpRaw = rest.slice(1, close);
    rest = rest.slice(close + 1).replace(/^:/, "");
  }
  const parts = rest.split(":");
  let target: string;
  let published = "";
  if (hostIpRaw) {
    target = parts.pop() ?? "";
    published = parts.join(":");
  } else if (parts.length === 1) {
    target = parts[0];
  } else {
    target = parts.pop() ?? "";
    published = parts.pop() ?? "";
    hostIpRaw = parts.join(":");
  }
  const ip = hostIpOf(unmask(hostIpRaw), variables);
  return { hostIp: ip.ip, hostIpFromVariable: ip.fromVariable, published: unmask(published), target: unmask(target), protocol };
}

/** 0.0.0.0, ::, or no address at all: every interface of the host. */
export function isAllInterfaces(ip: string): boolean {
  return ip === "" || ip === "0.0.0.0" || ip === "::" || ip === "0:0:0:0:0:0:0:0";
}

// ---------------------------------------------------------------------------------------------
// volumes

export interface Mount {
  /** The list item: a scalar in short syntax, a map in long syntax. */
  node: PNode;
  type: "bind" | "volume" | "tmpfs" | "npipe" | "image" | "cluster" | "anonymous" | "other";
  /** Source as written: host path for a bind, name for a volume. */
  source: string;
  /**
   * Host path with `~`/`$HOME` kept as `~`, defaults substituted and normalised (no trailing slash,
   * `.`/`..` resolved): for a bind mount, or a named volume whose driver binds a host directory.
   */
  hostPath: string | undefined;
  target: string;
  readOnly: boolean;
  /** How it was written, for messages. */
  text: string;
}

/** The volumes a service mounts (`volumes:`), short and long syntax. */
export function mounts(doc: ComposeDoc, service: ComposeService): Mount[] {
  const out: Mount[] = [];
  const topVolumes = asMap(doc.root.get("volumes"));
  for (const item of asSeq(service.node.get("volumes"))?.items ?? []) {
    const map = asMap(item);
    if (map) {
      const source = scalarText(map.get("source")) ?? "";
      const target = resolvedText(service, map.get("target")) ?? scalarText(map.get("target")) ?? "";
      const declared = scalarText(map.get("type"));
      const type = (declared ?? (source ? (looksLikePath(source) ? "bind" : "volume") : "anonymous")) as Mount["type"];
      const known = ["bind", "volume", "tmpfs", "npipe", "image", "cluster"];
      const t: Mount["type"] = known.includes(type) ? type : "other";
      const ro = map.get("read_only");
      const readOnly = !!asScalar(ro) && (asScalar(ro)!.value === true || String(asScalar(ro)!.value).toLowerCase() === "true");
      out.push({
        node: item,
        type: t,
        source,
        hostPath: t === "bind" ? hostPathOf(source, doc.variables) : t === "volume" ? volumeDevice(topVolumes, source, doc.variables) : undefined,
        target,
        readOnly,
        text: source ? `${source}:${target}` : target,
      });
      continue;
    }
    const text = scalarText(item);
    if (text === undefined) continue;
    const parsed = parseShortVolume(text);
    if (!parsed) continue;
    const type: Mount["type"] = !parsed.source ? "anonymous" : looksLikePath(parsed.source) ? "bind" : "volume";
    out.push({
      node: item,
      type,
      source: parsed.source,
      hostPath: type === "bind" ? hostPathOf(parsed.source, doc.variables) : type === "volume" ? volumeDevice(topVolumes, parsed.source, doc.variables) : undefined,
      target: (parsed.target.includes("$") && withDefaults(parsed.target, doc.variables)) || parsed.target,
      readOnly: parsed.options.includes("ro") || parsed.options.includes("readonly"),
      text,
    });
  }
  return out;
}

/** `[SOURCE:]TARGET[:OPTIONS]`, Windows drive letters included (`C:\data:/data`). */
export function parseShortVolume(text: string): { source: string; target: string; options: string[] } | undefined {
  const refs: string[] = [];
  const masked = text.trim().replace(BRACED_REFERENCE, (m) => `\u0000${refs.push(m) - 1}\u0000`);
  const unmask = (s: string) => s.replace(/\u0000(\d+)\u0000/g, (_, n: string) => refs[Number(n)]);
  const parts: string[] = [];
  let cur = "";
  for (let i = 0; i < masked.length; i++) {
    const c = masked[i];
    // A drive letter's colon (`C:\`, `C:/`) belongs to the path.
    if (c === ":" && !(cur.length === 1 && /[A-Za-z]/.test(cur) && /[\\/]/.test(masked[i + 1] ?? ""))) {
      parts.push(cur);
      cur = "";
    } else cur += c;
  }
  parts.push(cur);
  if (parts.length === 0 || parts[0] === "") return undefined;
  if (parts.length === 1) return { source: "", target: unmask(parts[0]), options: [] };
  if (parts.length === 2) {
    // `/data:ro` is not a thing; two parts are SOURCE:TARGET.
    return { source: unmask(parts[0]), target: unmask(parts[1]), options: [] };
  }
  return { source: unmask(parts[0]), target: unmask(parts[1]), options: parts.slice(2).join(",").split(",").map((o) => o.trim()) };
}

/** A bind mount's source is a path: absolute, relative (`./`, `../`), home (`~`), a variable, or a drive. */
export function looksLikePath(source: string): boolean {
  return /^(?:[/.~\\$]|[A-Za-z]:[\\/])/.test(source);
}

/** Host path with defaults substituted, `$HOME`/`${HOME}` as `~`, normalised. undefined when unknown. */
export function hostPathOf(source: string, variables?: Variables): string | undefined {
  const home = source.replace(/^\$\{HOME(?:[:?+-][^}]*)?\}|^\$HOME\b/, "~").replace(/^\$\{USERPROFILE\}|^%USERPROFILE%/i, "~");
  const resolved = home.includes("$") ? withDefaults(home, variables) : home;
  if (resolved === undefined) {
    // `${DATA_DIR}/.ssh` is still a `.ssh` directory; keep the known part.
    return home.replace(REFERENCE, "$VAR");
  }
  let p = resolved.replace(/\\/g, "/");
  if (p.startsWith("/")) p = path_normalize(p);
  else if (p.startsWith("~")) p = "~" + (p.length > 1 ? path_normalize(p.slice(1)) : "");
  else p = path_normalize(p);
  return p.length > 1 ? p.replace(/\/+$/, "") : p;
}

function path_normalize(p: string): string {
  const abs = p.startsWith("/");
  const segs: string[] = [];
  for (const s of p.split("/")) {
    if (s === "" || s === ".") continue;
    if (s === "..") {
      if (segs.length && segs[segs.length - 1] !== "..") segs.pop();
      else if (!abs) segs.push("..");
    } else segs.push(s);
  }
  const joined = segs.join("/");
  return abs ? `/${joined}` : joined === "" ? "." : joined;
}

/** A named volume declared with the local driver binding a host directory (`driver_opts: {o: bind, device: /srv}`). */
function volumeDevice(topVolumes: PMap | undefined, name: string, variables: Variables): string | undefined {
  const decl = asMap(topVolumes?.get(name));
  const opts = asMap(decl?.get("driver_opts"));
  if (!opts) return undefined;
  const o = scalarText(opts.get("o")) ?? "";
  const device = scalarText(opts.get("device"));
  if (!device || !/(^|,)\s*r?bind\s*(,|$)/.test(o)) return undefined;
  return hostPathOf(device, variables);
}

/** Path segments of a host or container path. */
export function segments(p: string): string[] {
  return p.split("/").filter((s) => s !== "" && s !== ".");
}

// ---------------------------------------------------------------------------------------------
// environment and env_file

export interface EnvVar {
  name: string;
  /** The value as written (list form: after `=`); undefined for a pass-through (`- KEY`, `KEY:` with no value). */
  value: string | undefined;
  /** Where to point: the value in map form, the list item in list form. */
  node: PNode;
  form: "map" | "list";
}

/** `environment:` (or `build.args`) in map form or list form. */
export function envVars(node: PNode | undefined): EnvVar[] {
  const out: EnvVar[] = [];
  const map = asMap(node);
  if (map) {
    for (const e of map.entries) {
      const s = asScalar(e.value);
      if (!s) continue;
      out.push({ name: e.key, value: s.value === null ? undefined : scalarText(s), node: s.value === null ? keyNode(e.keyRange) : s, form: "map" });
    }
    return out;
  }
  for (const item of asSeq(node)?.items ?? []) {
    const text = scalarText(item);
    if (text === undefined) continue;
    const eq = text.indexOf("=");
    out.push({ name: (eq === -1 ? text : text.slice(0, eq)).trim(), value: eq === -1 ? undefined : text.slice(eq + 1), node: item, form: "list" });
  }
  return out;
}

const keyNode = (range: Region): PScalar => ({ type: "scalar", range, value: null, source: "", quoted: false });

export interface EnvFileRef {
  /** As written. */
  path: string;
  /** Relative to the scan base, resolved against the compose file's directory; undefined when unresolvable or absolute. */
  resolved: string | undefined;
  required: boolean;
  node: PNode;
}

/** `env_file:` as a string, a list of strings, or a list of `{path, required}`. */
export function envFiles(doc: ComposeDoc, service: ComposeService): EnvFileRef[] {
  const v = service.node.get("env_file");
  if (!v) return [];
  const items = asSeq(v)?.items ?? [v];
  const dir = posixDir(doc.file.path);
  const out: EnvFileRef[] = [];
  for (const item of items) {
    const map = asMap(item);
    const pathNode = map ? map.get("path") : item;
    const p = scalarText(pathNode);
    if (!p || !pathNode) continue;
    const requiredNode = map?.get("required");
    const required = !(asScalar(requiredNode)?.value === false || scalarText(requiredNode)?.toLowerCase() === "false");
    const concrete = withDefaults(p, doc.variables);
    const resolved = concrete === undefined || concrete.startsWith("/") || concrete.startsWith("~") || /^[A-Za-z]:[\\/]/.test(concrete) ? undefined : joinPosix(dir, concrete.replace(/\\/g, "/"));
    out.push({ path: p, resolved: resolved?.startsWith("../") ? undefined : resolved, required, node: pathNode });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// image, user, capabilities, security options

/** The stage a service's build produces: `build.target`, or the Dockerfile's final stage. */
export function builtStage(dockerfile: DockerfileDoc, service: ComposeService): DockerStage | undefined {
  const target = resolvedText(service, asMap(service.node.get("build"))?.get("target"));
  if (target) {
    const name = target.toLowerCase();
    const stage = dockerfile.stages.find((s) => s.alias === name);
    if (stage) return stage;
  }
  return dockerfile.stages[dockerfile.stages.length - 1];
}

/** `ALL` in a capability list, as Docker reads it (case-insensitive, `CAP_` prefix allowed). */
export function isAllCap(text: string | undefined): boolean {
  return !!text && /^(CAP_)?ALL$/i.test(text.trim());
}

/** The `no-new-privileges` security option: `no-new-privileges`, `…:true`, `…=true` enable it. */
export function noNewPrivileges(text: string | undefined): "on" | "off" | undefined {
  if (!text) return undefined;
  const m = /^no-new-privileges(?:\s*[:=]\s*(\S*))?$/i.exec(text.trim());
  if (!m) return undefined;
  if (m[1] === undefined || m[1] === "") return "on";
  return m[1].toLowerCase() === "true" ? "on" : "off";
}

/** Whether a service's own definition is run with `network_mode: host` (its ports are then not published). */
export function usesHostNetwork(service: ComposeService): boolean {
  return scalarText(service.node.get("network_mode"))?.trim().toLowerCase() === "host";
}
