import { defineRule } from "../../../src/rule.js";
import { isLiteralSecretValue, isReference, isSecretName, maskSecret, quote, urlWithPassword } from "../../../src/secrets/index.js";
import { keyValuePairs, keywordOf } from "../../../src/selectors/docker.js";
import type { DockerInstruction, DockerfileDoc } from "../../../src/types.js";

const RUNTIME = "pass it at runtime (`docker run -e`, compose `environment: ${VAR}` or `secrets:`, a Kubernetes Secret)";
const BUILD_SECRET = "use `RUN --mount=type=secret,id=<id>` for values a build step needs";

/** Names of the ARGs declared earlier in the instruction's stage (a global ARG is in scope only when re-declared). */
function argsInScope(doc: DockerfileDoc, ins: DockerInstruction): Set<string> {
  const names = new Set<string>();
  for (const i of doc.stages[ins.stage]?.instructions ?? []) {
    if (i === ins) break;
    if (i.keyword === "ARG") for (const p of keyValuePairs(doc, i)) names.add(p.name);
  }
  return names;
}

/** The variable a value consists of (`$TOKEN`, `${TOKEN}`, `${TOKEN:-x}`), if it is a single reference. */
function referencedName(value: string): string | undefined {
  const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-+?][^}]*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(value.trim());
  return m ? (m[1] ?? m[2]) : undefined;
}

export default defineRule({
  meta: {
    id: "docker/secret-in-env",
    level: "error",
    summary:
      "ENV, or ARG with a default, sets a secret-looking name (PASSWORD, TOKEN, API_KEY, …) to a literal; a bare secret-named ARG is a warning.",
    remediation:
      "Remove the value from the Dockerfile: pass secrets at runtime (environment, compose/Kubernetes secrets) and use `RUN --mount=type=secret` for secrets a build step needs.",
    tags: ["security", "CWE-798", "CWE-538"],
  },
  dockerfile(doc, ctx) {
    const firstFrom = doc.stages[0]?.from;
    let global = true;
    /** Global ARGs already reported: re-declaring one in a stage (`ARG NPM_TOKEN`) only brings it into scope. */
    const reportedGlobals = new Set<string>();
    for (const ins of doc.instructions) {
      if (ins === firstFrom) global = false;
      if (ins.keyword !== "ENV" && ins.keyword !== "ARG") continue;
      const kw = keywordOf(ins);
      let args: Set<string> | undefined;
      for (const pair of keyValuePairs(doc, ins)) {
        const where = `stage ${ins.stage}`;
        const name = quote(pair.name);
        const report = (message: string, level?: "warning") => {
          if (global && ins.keyword === "ARG") reportedGlobals.add(pair.name);
          ctx.report({ region: pair.region, message, level, logicalLocation: global ? "global" : where, snippet: `${ins.keyword} ${pair.name}` });
        };
        const value = pair.value;

        // A URL with a password in it is a secret whatever the variable is called.
        const url = value !== undefined ? urlWithPassword(value) : undefined;
        if (value !== undefined && url && !ctx.isAllowedSecret(value.slice(url.start, url.end))) {
          report(
            `${kw} ${name} holds a URL with a password (${maskSecret(value.slice(url.start, url.end))}): ${storedIn(ins.keyword)}; ${RUNTIME}`,
          );
          continue;
        }
        if (!isSecretName(pair.name)) continue;

        if (value !== undefined && isLiteralSecretValue(value, ctx.isAllowedSecret, pair.name)) {
          report(
            `${kw} ${name} ${ins.keyword === "ARG" ? "has a literal default" : "is set to a literal"} (${maskSecret(value)}): ${storedIn(ins.keyword)}; ${RUNTIME}, or ${BUILD_SECRET}`,
          );
          continue;
        }
        if (ins.keyword === "ARG" && (value === undefined || value.trim() === "" || /^(""|'')$/.test(value.trim()))) {
          if (!global && value === undefined && reportedGlobals.has(pair.name)) continue;
          report(
            `${kw} ${name} passes a secret as a build argument: its value is recorded in the image history (\`docker history\`) and build metadata; ${BUILD_SECRET} instead`,
            "warning",
          );
          continue;
        }
        // ENV TOKEN=${TOKEN}: the build argument's value is copied into the image's environment.
        if (ins.keyword === "ENV" && value !== undefined && isReference(value)) {
          const ref = referencedName(value);
          args ??= argsInScope(doc, ins);
          if (ref && args.has(ref)) {
            report(
              `${kw} ${name} copies the build argument ${quote(ref)} into the image's environment, where every container and \`docker inspect\` can read it; ${RUNTIME}, or ${BUILD_SECRET}`,
              "warning",
            );
          }
        }
      }
    }
  },
});

function storedIn(keyword: string): string {
  return keyword === "ARG"
    ? "build argument defaults are recorded in the image history and anyone with the Dockerfile or the image can read it"
    : "ENV values are stored in the image config, readable with `docker inspect` by anyone who can pull the image";
}

