// The contract between parsers, rules, the engine and reporters.

export type Level = "error" | "warning" | "note";
export type LevelSetting = Level | "off";
/**
 * recommended and strict run every rule (strict raises note→warning→error); pss-baseline and
 * pss-restricted run only the rules of that Pod Security Standards level, each violation an error.
 */
export type PresetName = "recommended" | "strict" | "pss-baseline" | "pss-restricted";

export const PRESETS: readonly PresetName[] = ["recommended", "strict", "pss-baseline", "pss-restricted"];

/** 1-based lines and columns; endColumn is exclusive (SARIF convention). */
export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

/** Anything a rule can point at: a YAML node, a map entry, a Dockerfile instruction. */
export interface Locatable {
  range: Region;
}

export type FileKind =
  | "dockerfile"
  | "compose"
  | "yaml" // any other YAML/JSON file; Kubernetes objects are found inside
  | "dotenv"
  | "gitignore"
  | "dockerignore"
  | "text";

export interface SourceFile {
  /** Path relative to the run's base directory, with forward slashes. */
  path: string;
  absPath: string;
  kind: FileKind;
  text: string;
  /** Region of a [start, end) character offset range. */
  regionOf(start: number, end: number): Region;
  /** The text of one 1-based line, without its newline. */
  line(n: number): string;
}

// ---- YAML: a positioned value tree (rules never touch the yaml library's nodes) ----

export type PNode = PMap | PSeq | PScalar;

export interface PMap {
  type: "map";
  range: Region;
  entries: PEntry[];
  get(key: string): PNode | undefined;
  entry(key: string): PEntry | undefined;
}

export interface PEntry {
  key: string;
  keyRange: Region;
  /** From the key's start to the value's end. */
  range: Region;
  value: PNode;
}

export interface PSeq {
  type: "seq";
  range: Region;
  items: PNode[];
}

export interface PScalar {
  type: "scalar";
  range: Region;
  /** The resolved value: YAML 1.1 for Kubernetes (0600 is 384). null for an empty value. */
  value: string | number | boolean | null;
  /** The scalar exactly as written in the file (without quotes), e.g. "0600". */
  source: string;
  quoted: boolean;
}

export interface YamlDoc {
  /** Index of the document in a multi-document stream. */
  index: number;
  root: PNode | undefined;
  /** Comments in the document as [line, text] for suppression parsing are read from the file. */
}

// ---- Kubernetes ----

export interface K8sObject {
  apiVersion: string;
  kind: string;
  name: string;
  /** metadata.namespace, or the run's default namespace. */
  namespace: string;
  namespaceExplicit: boolean;
  node: PMap;
  /** The line of `kind:` for "the object" as a location. */
  kindNode: PEntry | undefined;
  annotations: Record<string, string>;
  labels: Record<string, string>;
  file: SourceFile;
  docIndex: number;
  /**
   * Set when the object is a Kustomize patch (a file a kustomization lists under `patches`,
   * `patchesStrategicMerge` or `patchesJson6902`, or a patch written inline in one): it sets some
   * fields of another object, so a field it leaves out is not missing.
   */
  patch?: K8sPatch;
}

// ---- Kustomize ----

/** What a kustomization's `target:` selects (the fields bulkhead reads). */
export interface PatchTarget {
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface K8sPatch {
  /** The kustomization file that lists the patch. */
  kustomization: string;
  /** The `target:` written beside the patch, if any. */
  selector?: PatchTarget;
  /** The object the patch modifies, when it is among the scanned manifests (set by the workspace). */
  target?: K8sObject;
}

/** One entry of a kustomization's `images:`: a new name, tag or digest for an image name. */
export interface ImageOverride {
  /** The list item. */
  node: PMap;
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  /** Appended to the tag the image has (`tagSuffix`). */
  tagSuffix?: string;
}

/** A `kustomization.yaml` (kind Kustomization, or Component), the parts bulkhead reads. */
export interface Kustomization {
  file: SourceFile;
  kind: "Kustomization" | "Component";
  root: PMap;
  /** `resources` and the deprecated `bases`: files or directories relative to its directory (remote ones left out). */
  resources: string[];
  /** `components`: directories holding a kustomization of kind Component. */
  components: string[];
  /** Patch files, relative to its directory, with the `target:` written beside each. */
  patchFiles: { path: string; selector?: PatchTarget }[];
  /** Patches written inline (`patch: |-`, or a strategic-merge patch as a string), as objects located in this file. */
  inlinePatches: K8sObject[];
  images: ImageOverride[];
}

// ---- docker-compose ----

export interface ComposeService {
  name: string;
  /** The service's key in `services:`, the location for "a field is missing". */
  keyRange: Region;
  node: PMap;
  /** The variables compose interpolates its values with: its document's `variables`. */
  variables: ReadonlyMap<string, string>;
}

export interface ComposeDoc {
  file: SourceFile;
  root: PMap;
  services: ComposeService[];
  /** The variables of the project's `.env` (beside the compose file), filled in by the workspace. */
  variables: ReadonlyMap<string, string>;
}

// ---- Dockerfile ----

export interface DockerFlag {
  name: string;
  value: string | null;
  range: Region;
}

export interface DockerInstruction {
  /** Upper-case keyword; for `ONBUILD RUN x` this is RUN with `onbuild: true`. */
  keyword: string;
  /** Arguments as written after the keyword and flags, continuations joined with a space. */
  argsText: string;
  /** Whitespace-split arguments (JSON form parsed), after the flags. */
  args: string[];
  /** Each argument's region, parallel to args. */
  argRanges: Region[];
  flags: DockerFlag[];
  /** Bodies of heredocs (`<<EOF`) attached to this instruction. */
  heredocs: string[];
  onbuild: boolean;
  range: Region;
  /** Index into DockerfileDoc.stages. */
  stage: number;
}

export interface DockerStage {
  index: number;
  /** The FROM instruction. */
  from: DockerInstruction;
  /** Image as written, e.g. "python:3.11-slim" or "${BASE}". */
  image: string;
  /** Image with ARG defaults declared before the FROM expanded; undefined if unresolvable. */
  resolvedImage: string | undefined;
  alias: string | undefined;
  instructions: DockerInstruction[];
}

export interface DockerfileDoc {
  file: SourceFile;
  stages: DockerStage[];
  /** Every instruction, in order, including those before the first FROM. */
  instructions: DockerInstruction[];
  finalStage: DockerStage | undefined;
}

// ---- findings ----

export interface Suppression {
  kind: "inSource" | "external";
  justification?: string;
}

export interface Finding {
  ruleId: string;
  level: Level;
  message: string;
  file: string;
  region: Region;
  /** e.g. `Deployment default/signal-bot containers[bot]`, `service signal-api`. */
  logicalLocation?: string;
  /** Stable across line shifts: used by SARIF partialFingerprints and baselines. */
  fingerprint: string;
  suppressions?: Suppression[];
}

/** A finding a `text` visitor reports: plain data, located by a region of its file. */
export interface TextReport {
  region: Region;
  message: string;
  /** Overrides the rule's level for this finding. */
  level?: Level;
  logicalLocation?: string;
  /** Text that identifies the finding independent of its line (for fingerprints). Default: the located source text. */
  snippet?: string;
  /** "high": a known format (a provider's token, a private key), reported in test data too (see RuleMeta.testData). */
  confidence?: "high";
}

export interface ReportInput {
  /** The file (relative to the base) a workspace visitor reports on; other visitors report on ctx.file. */
  path?: string;
  /** What to point at. */
  node?: Locatable;
  region?: Region;
  message: string;
  /** Overrides the rule's level for this finding (e.g. a bare secret ARG is a warning). */
  level?: Level;
  logicalLocation?: string;
  /** Text that identifies the finding independent of its line (for fingerprints). Default: the located source text. */
  snippet?: string;
  /** "high": a known format (a provider's token, a private key), reported in test data too (see RuleMeta.testData). */
  confidence?: "high";
  /**
   * Other lines of the same file this one finding accounts for (a Secret reported once covers
   * each of its values): rules that yield to this one stay silent there too.
   */
  coversLines?: number[];
}
