// One file parsed by its kind: a Dockerfile, a compose file (by name, setting or content), a
// kustomization, Kubernetes manifests. YAML that cannot hold a Kubernetes object is not parsed.
import type { ComposeDoc, DockerfileDoc, K8sObject, Kustomization, Region, SourceFile } from "../types.js";
import type { DocumentKind } from "../rule.js";
import { parseYaml as parseYamlText, type ParsedYaml } from "../parsers/yaml.js";
import { parseDockerfile } from "../parsers/dockerfile.js";
import { composeDocOf, isComposeShaped, mayBeCompose } from "../parsers/compose.js";
import { isTemplate } from "../parsers/template.js";
import { k8sObjectsOf } from "../parsers/k8s.js";
import { isKustomizationPath, kustomizationOf } from "../parsers/kustomize.js";
import { quote } from "../secrets/index.js";

/**
 * Dockerfiles larger than this are not parsed: dockerfile-ast needs ~1 µs and up to ~180 bytes
 * of heap per byte of input (a 10 MB one-line RUN: ~10 s and ~2 GB). Real ones are kilobytes.
 */
export const MAX_DOCKERFILE_PARSE = 1024 * 1024;

export interface ParsedFile {
  dockerfile?: DockerfileDoc;
  /** Set for a compose file (by name, by the `compose` setting, or by its content: then `file.kind` becomes "compose"). */
  compose?: ComposeDoc;
  kustomization?: Kustomization;
  /** Kubernetes objects in file and document order (a kustomization's own, then its inline patches). */
  objects: K8sObject[];
}

/** Where parsing a file reports what it met. */
export interface ParseReports {
  /** A syntax error, at its place. */
  problem(message: string, region: Region): void;
  /** A note about the whole file (a template not checked, a Dockerfile without instructions). */
  note(message: string): void;
  /** What keeps a file's policies from being checked (a tracked file: scan-incomplete; else a note). */
  unchecked(message: string): void;
  /** A part of the file that is not checked, where it starts. */
  tooLarge(message: string, region: Region): void;
  /** Chart directories whose templates were skipped (one note each). */
  helmCharts: Set<string>;
}

/** The chart directory of a file under a `templates/` directory (a Helm template's chart; "" at the root), if it is one. */
export function helmChartOf(path: string): string | undefined {
  return /^(.*?)\/?templates\//.exec(path)?.[1];
}

/** Reports nowhere (a file parsed again, or on the worker: what parsing reports is reported where the run parses it). */
export const QUIET: ParseReports = { problem() {}, note() {}, unchecked() {}, tooLarge() {}, helmCharts: new Set() };

export const TEMPLATE_NOTE =
  "a template (`{{ … }}` directives) that is not YAML until rendered; not checked: render it and lint the output with `--stdin --stdin-filename <name>.yaml`";

/** How a file's YAML is parsed: parseYaml, or what a worker thread parsed for it (see offload.ts). */
export type YamlParser = (file: SourceFile, version: "1.1" | "1.2") => ParsedYaml;

/**
 * Parses a file by its kind (Dockerfiles too; with a worker, the engine has it parse them), for
 * the kinds of documents some rule reads: a file of another kind is not parsed.
 */
export function parseFile(file: SourceFile, namespace: string, reads: ReadonlySet<DocumentKind>, out: ParseReports, parseYaml: YamlParser = parseYamlText): ParsedFile {
  const reported = (parsed: ParsedYaml) => {
    parsed.problems.forEach((p) => out.problem(p.message, p.region));
    parsed.skipped.forEach((p) => out.tooLarge(p.message, p.region));
  };
  if (file.kind === "dockerfile") {
    if (!reads.has("dockerfile")) return { objects: [] };
    if (file.text.length > MAX_DOCKERFILE_PARSE) {
      out.unchecked(`larger than ${MAX_DOCKERFILE_PARSE / 1048576} MB; its instructions are not checked (the text is still scanned for secrets)`);
      return { objects: [] };
    }
    return { dockerfile: parseDockerfile(file), objects: [] };
  }
  if (file.kind === "compose") {
    if (!reads.has("compose")) return { objects: [] };
    const parsed = parseYaml(file, "1.2");
    if (parsed.problems.length > 0 && isTemplate(file.text)) {
      out.note(TEMPLATE_NOTE);
      return { objects: [] };
    }
    reported(parsed);
    return { compose: composeDocOf(file, parsed.docs[0]?.root), objects: [] };
  }
  if ((file.kind === "yaml" || file.kind === "text") && isKustomizationPath(file.path)) {
    if (!reads.has("k8s")) return { objects: [] };
    // Its own object (when it has apiVersion and kind), and the patches written inline in it.
    const parsed = parseYaml(file, "1.1");
    reported(parsed);
    const root = parsed.docs[0]?.root;
    const objects = k8sObjectsOf(file, root, 0, namespace);
    const kustomization = kustomizationOf(file, root, namespace);
    if (kustomization) objects.push(...kustomization.inlinePatches);
    return { kustomization, objects };
  }
  if (file.kind !== "yaml") return { objects: [] };
  // A compose file by its content: a `stack.yml`, a `deploy/app.yml`.
  if (reads.has("compose") && mayBeCompose(file.text)) {
    const parsed = parseYaml(file, "1.2");
    if (parsed.problems.length === 0 && parsed.docs.length === 1 && isComposeShaped(parsed.docs[0].root)) {
      file.kind = "compose";
      return { compose: composeDocOf(file, parsed.docs[0].root)!, objects: [] };
    }
  }
  if (!reads.has("k8s") || !file.text.includes("apiVersion") || !file.text.includes("kind")) return { objects: [] };
  const chart = helmChartOf(file.path);
  if (chart !== undefined && file.text.includes("{{")) {
    // A Helm template is not YAML until rendered: one note per chart says how to lint it.
    if (!out.helmCharts.has(chart)) {
      out.helmCharts.add(chart);
      const dir = quote(chart || ".");
      out.note(`Helm chart templates under ${dir}/templates are not YAML until rendered; lint them with \`helm template ${dir} | bulkhead --stdin --stdin-filename chart.yaml\``);
    }
    return { objects: [] };
  }
  const parsed = parseYaml(file, "1.1");
  // Go templates outside a chart (manifests a program renders): skipped like a chart's.
  if (parsed.problems.length > 0 && isTemplate(file.text)) {
    out.note(TEMPLATE_NOTE);
    return { objects: [] };
  }
  reported(parsed);
  return { objects: parsed.docs.flatMap((d) => k8sObjectsOf(file, d.root, d.index, namespace)) };
}
