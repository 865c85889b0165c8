// Compose interpolation (src/parsers/compose-vars.ts), read as `docker compose config` reads it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { dotenvVariables, interpolate, withDefaults } from "../src/parsers/compose-vars.ts";

const vars = new Map([
  ["TAG", "7.4"],
  ["EMPTY", ""],
  ["HOST", "127.0.0.1"],
]);

test("a known variable gives its value; an unknown one stays unresolved", () => {
  assert.equal(withDefaults("redis:${TAG}", vars), "redis:7.4");
  assert.equal(withDefaults("redis:$TAG", vars), "redis:7.4");
  assert.equal(withDefaults("redis:${NOPE}", vars), undefined);
  assert.equal(interpolate("redis:${NOPE}", vars).value, "redis:${NOPE}");
});

test("`:-` and `-` defaults: an empty value counts as unset only with the colon", () => {
  assert.equal(withDefaults("${EMPTY:-x}", vars), "x");
  assert.equal(withDefaults("${EMPTY-x}", vars), "");
  assert.equal(withDefaults("${NOPE-x}", vars), "x");
  assert.equal(withDefaults("${TAG:-x}", vars), "7.4");
  assert.equal(withDefaults("${NOPE:-${HOST}}:80", vars), "127.0.0.1:80");
});

test("`:?` and `?` need the variable; `:+` and `+` give the alternative when it is set", () => {
  assert.equal(withDefaults("${TAG:?tag required}", vars), "7.4");
  assert.equal(withDefaults("${EMPTY:?required}", vars), undefined);
  assert.equal(withDefaults("${EMPTY?required}", vars), "");
  assert.equal(withDefaults("${TAG:+-alpine}", vars), "-alpine");
  assert.equal(withDefaults("${EMPTY:+x}", vars), "");
  assert.equal(withDefaults("${EMPTY+x}", vars), "x");
  // Not in the project's .env: the shell may set it, so the value is unknown.
  assert.equal(withDefaults("${NOPE:+x}", vars), undefined);
});

test("`$$` is a literal dollar, never a reference", () => {
  const r = interpolate("echo $$HOME and $${TAG}", vars);
  assert.equal(r.value, "echo $HOME and ${TAG}");
  assert.equal(r.hasReference, false);
});

test("references record where their value came from", () => {
  const r = interpolate("${HOST:-0.0.0.0}:${PORT:-8080}:80", vars);
  assert.deepEqual(r.references, [{ name: "HOST", value: "127.0.0.1" }, { name: "PORT", default: "8080" }]);
  assert.equal(r.value, "127.0.0.1:8080:80");
});

test(".env values: quotes removed, single quotes not interpolated, earlier variables substituted", () => {
  const env = dotenvVariables(`# comment
export REGISTRY=ghcr.io/example
IMAGE="\${REGISTRY}/api:1.2"
RAW='\${REGISTRY}'
PORT=8080 # trailing comment
`);
  assert.equal(env.get("IMAGE"), "ghcr.io/example/api:1.2");
  assert.equal(env.get("RAW"), "${REGISTRY}");
  assert.equal(env.get("PORT"), "8080");
});
