// The yaml library, loaded when a file is first parsed as YAML: a run of Dockerfiles alone never
// loads it (its ~70 modules cost ~50 ms of CPU time to load). Node resolves the package to the
// same CommonJS build for `import` and `require`, so every user shares one instance.
import { createRequire } from "node:module";

let lib: typeof import("yaml") | undefined;

export function yamlLib(): typeof import("yaml") {
  return (lib ??= createRequire(import.meta.url)("yaml") as typeof import("yaml"));
}
