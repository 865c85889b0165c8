// The `when` and `assert` JSON Schemas of a policy, compiled once with ajv. A policy is data:
// regular expressions run with RE2 semantics, `$ref` resolves only inside the schema it is
// written in, nothing is fetched, no format or keyword plugin runs. A schema ajv rejects is an
// error at its line.
import { createRequire } from "node:module";
import type { ValidateFunction } from "ajv";
import type { PNode, Region } from "../types.js";
import { asMap } from "../parsers/yaml.js";
import { nodeAt } from "../engine/config-errors.js";
import { re2Engine, re2Problem } from "./regexp.js";

type AjvClass = typeof import("ajv").default;
let ajv: InstanceType<AjvClass> | undefined;

/**
 * One ajv for every policy: `allErrors` (a finding per failing node), strict about the schema
 * itself (an unknown keyword is a typo, not something to ignore), RE2 for regexes, no remote
 * loading (no `loadSchema`), and compiled schemas not registered by their `$id` (a policy cannot
 * shadow another's).
 */
function policyAjv(): InstanceType<AjvClass> {
  if (ajv) return ajv;
  const Ajv = createRequire(import.meta.url)("ajv") as AjvClass;
  ajv = new Ajv({
    allErrors: true,
    strictSchema: true,
    strictNumbers: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    validateFormats: true,
    addUsedSchema: false,
    code: { regExp: re2Engine },
  });
  return ajv;
}

/** A schema mistake: where in the policy file, and what was expected. */
export type SchemaFail = (region: Region, detail: string) => Error;

/**
 * Compiles one schema of a policy (`node` is its YAML, `value` the same as plain data). Checks
 * first what ajv would say without a line (a regex RE2 rejects, a `$ref` that leaves the schema,
 * `$id`), then ajv's own meta-schema validation, then the compilation.
 */
export function compilePolicySchema(key: string, node: PNode, value: unknown, fail: SchemaFail): ValidateFunction {
  checkNode(key, node, fail);
  const a = policyAjv();
  if (typeof value === "object" && value !== null && !a.validateSchema(value)) {
    const err = a.errors?.[0];
    const segments = (err?.instancePath ?? "").split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
    const at = nodeAt(node, segments) ?? node;
    throw fail(at.range, `"${key}" is not a valid JSON Schema: ${pathWords(key, segments)} ${err?.message ?? "is invalid"}`);
  }
  try {
    return a.compile(value as object);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // ajv names the keyword it rejects: point at it when the schema writes it.
    const keyword = /keyword: "([^"]+)"|format "([^"]+)"/.exec(message);
    const found = keyword ? findKey(node, keyword[1] ?? "format") : undefined;
    throw fail(found ?? node.range, `"${key}" is not a schema bulkhead can compile: ${message.replace(/^strict mode: /, "")}`);
  }
}

function pathWords(key: string, segments: string[]): string {
  return [key, ...segments].join(".");
}

const MAX_SCHEMA_DEPTH = 60;

/** Walks the schema's YAML: RE2 patterns, local `$ref` only, no `$id`. */
function checkNode(key: string, node: PNode, fail: SchemaFail, depth = 0): void {
  // Below the depth at which the policy's plain value is cut (toPlain reads 64 levels from the policy).
  if (depth > MAX_SCHEMA_DEPTH) throw fail(node.range, `"${key}" nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
  if (node.type === "seq") {
    for (const item of node.items) checkNode(key, item, fail, depth + 1);
    return;
  }
  if (node.type !== "map") return;
  for (const e of node.entries) {
    const v = e.value;
    if (e.key === "pattern" && v.type === "scalar" && typeof v.value === "string") {
      const problem = re2Problem(v.value);
      if (problem) throw fail(v.range, `"pattern" must be ${problem}`);
    }
    if (e.key === "patternProperties" && v.type === "map") {
      for (const p of v.entries) {
        const problem = re2Problem(p.key);
        if (problem) throw fail(p.keyRange, `a key of "patternProperties" must be ${problem}`);
      }
    }
    if (e.key === "$ref" && v.type === "scalar" && !(typeof v.value === "string" && v.value.startsWith("#"))) {
      throw fail(v.range, `"$ref" must point inside the schema ("#/$defs/…"): a policy fetches nothing and reads no other file`);
    }
    if (e.key === "$id" || e.key === "$schema" || e.key === "$dynamicRef" || e.key === "$recursiveRef") {
      throw fail(e.keyRange, `"${e.key}" is not allowed in a policy schema (its schemas are JSON Schema draft-07, resolved inside the policy)`);
    }
    checkNode(key, v, fail, depth + 1);
  }
}

/** The first entry named `key` in a YAML tree (depth-first), for errors that name a keyword. */
function findKey(node: PNode, key: string, depth = 0): Region | undefined {
  if (depth > 64) return undefined;
  if (node.type === "seq") {
    for (const item of node.items) {
      const r = findKey(item, key, depth + 1);
      if (r) return r;
    }
  }
  const map = asMap(node);
  if (!map) return undefined;
  const own = map.entry(key);
  if (own) return own.keyRange;
  for (const e of map.entries) {
    const r = findKey(e.value, key, depth + 1);
    if (r) return r;
  }
  return undefined;
}
