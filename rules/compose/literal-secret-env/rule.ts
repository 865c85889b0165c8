import { defineRule } from "../../../src/rule.js";
import { asMap } from "../../../src/parsers/yaml.js";
import { isLiteralSecretValue, isSecretName, maskSecret, quote, urlWithPassword } from "../../../src/secrets/index.js";
import { envVars, interpolate, serviceReporter, type EnvVar } from "../../../src/selectors/compose.js";

interface Problem {
  /** What the value holds, masked. */
  what: string;
  /** `${VAR:-default}`: the secret is the default of VAR, written in the file. */
  viaDefault?: string;
}

/** Whether an offset of `text` lies inside a `${…}` reference (its default, for instance). */
function insideReference(text: string, offset: number): boolean {
  let depth = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "$") i++;
    else if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}" && depth > 0) depth--;
  }
  return depth > 0;
}

/** Why an environment value puts a secret in the compose file, or undefined. */
function problemOf(v: EnvVar, allow: (s: string) => boolean): Problem | undefined {
  if (v.value === undefined || v.name === "") return undefined;
  const raw = v.value;
  const ip = interpolate(raw);
  // A URL with a literal password is a secret whatever its name; `postgres://u:${PW}@db` is not,
  // a default that holds one (`${DATABASE_URL:-<url with a password>}`, or a password variable's default) is.
  const found = urlWithPassword(raw);
  const direct = found && !insideReference(raw, found.start) ? found : undefined;
  const url = direct ?? (ip.hasReference ? urlWithPassword(ip.value) : undefined);
  if (url) {
    const password = (direct ? raw : ip.value).slice(url.start, url.end);
    if (!allow(password)) {
      const variable = direct
        ? undefined
        : (ip.references.find((r) => r.default !== undefined && urlWithPassword(r.default) !== undefined) ?? ip.references.find((r) => r.default !== undefined))?.name;
      return { what: `a URL with a literal password (${maskSecret(password)})`, viaDefault: variable };
    }
  }
  if (!isSecretName(v.name)) return undefined;
  if (!ip.hasReference) {
    return isLiteralSecretValue(ip.value, allow, v.name) ? { what: `a literal secret (${maskSecret(ip.value)})` } : undefined;
  }
  // `${DB_PASSWORD:-hunter2}`: the reference falls back to a secret written in the file.
  for (const r of ip.references) {
    if (r.default !== undefined && isLiteralSecretValue(r.default, allow, v.name)) {
      return { what: `a literal secret as the default of \${${quote(r.name)}} (${maskSecret(r.default)})`, viaDefault: r.name };
    }
  }
  return undefined;
}

export default defineRule({
  meta: {
    id: "compose/literal-secret-env",
    level: "error",
    summary:
      "A compose service's `environment` (or `build.args`) sets a secret-looking name (PASSWORD, TOKEN, API_KEY …) to a literal value, or any variable to a URL with a password.",
    remediation:
      "Reference a variable instead (`DB_PASSWORD: ${DB_PASSWORD}`) and keep its value in an untracked `.env` file or the deployment's environment, or use compose `secrets:`; rotate the exposed secret.",
    tags: ["security", "CWE-798"],
  },
  compose(doc, ctx) {
    const out = serviceReporter(ctx);
    const allow = (s: string) => ctx.isAllowedSecret(s);
    for (const service of doc.services) {
      const sources: { vars: EnvVar[]; where: string }[] = [{ vars: envVars(service.node.get("environment")), where: "environment" }];
      const args = asMap(service.node.get("build"))?.get("args");
      if (args) sources.push({ vars: envVars(args), where: "build argument" });
      for (const { vars, where } of sources) {
        for (const v of vars) {
          const p = problemOf(v, allow);
          if (!p) continue;
          const kind = where === "environment" ? "environment variable" : where;
          const name = quote(v.name);
          const variable = p.viaDefault && quote(p.viaDefault);
          const fix = variable
            ? `drop the default so compose refuses to start without the variable (\`\${${variable}:?${variable} is required}\`) and keep the value in an untracked .env file or the deployment's environment`
            : where === "environment"
              ? `write ${v.form === "list" ? `\`- ${name}=\${${name}}\`` : `\`${name}: \${${name}}\``} and keep the value in an untracked .env file or the deployment's environment (or use compose \`secrets:\`)`
              : `build arguments stay in the image's history: pass the secret as a build secret (\`build.secrets\` and \`RUN --mount=type=secret\`)`;
          const defaultNote = variable ? `, used whenever ${variable} is unset` : "";
          out.report(
            service,
            v.node,
            (label) => `${kind} ${name} of ${label} holds ${p.what} in the compose file${defaultNote}; ${fix}, and rotate the exposed value`,
            { snippet: `${where}[${v.name}]` },
          );
        }
      }
    }
    out.flush();
  },
});
