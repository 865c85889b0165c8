// A policy as its file writes it (validated against schemas/policy.schema.json), and as loaded.
import type { Rule } from "../rule.js";
import type { Level } from "../types.js";

/** What a policy's schemas see (the `target` enum of schemas/policy.schema.json). */
export type TargetName = "k8s/object" | "k8s/pod-spec" | "k8s/container" | "compose/service" | "compose/file" | "dockerfile/stage" | "dockerfile/instruction";

/** The namespaces of bulkhead's own rules: a policy id may not use them. */
export const RESERVED_NAMESPACES = ["docker", "compose", "k8s", "repo", "bulkhead"];

export interface PolicySpec {
  id: string;
  level: Level;
  summary: string;
  remediation: string;
  tags?: string[];
  target: TargetName;
  kinds?: string[];
  files?: string[];
  when?: Record<string, unknown> | boolean;
  assert: Record<string, unknown> | boolean;
  message?: string;
  examples?: PolicyExample[];
}

export interface PolicyExample {
  bad?: string;
  good?: string;
  filename?: string;
}

/** Where something is written in a policy file. */
export interface PolicyLocation {
  /** The policy file, as messages name it (relative to the run's base directory when inside it). */
  file: string;
  line: number;
  column: number;
}

export interface LoadedPolicy {
  spec: PolicySpec;
  /** The policy's `id:` entry. */
  at: PolicyLocation;
  /** Each example's `bad:` or `good:` entry, parallel to spec.examples. */
  examples: { example: PolicyExample; at: PolicyLocation }[];
  /** The policy as the engine runs it: a rule like the built-in ones. */
  rule: Rule;
}
