// References: values resolved elsewhere (an environment variable, a template, a Secret, a command).
import { MAX_TEMPLATE_LENGTH } from "./placeholder.js";

/**
 * One reference: `${VAR}`, `${VAR:-default}`, `${{ expr }}`, `$VAR`, `$name.key`, `$secret-name:key`, `$(VAR)`, `{{ … }}`.
 * A template's body never runs past another `{{` (or `}}`): an unclosed `{{` then costs one scan
 * to the next `{{`, not one to the end of the value for each of them.
 */
const TEMPLATE_BODY = String.raw`(?:[^{}]|\{(?!\{)|\}(?!\}))*`;
const REFERENCE_TOKEN = new RegExp(
  String.raw`\$\{\{${TEMPLATE_BODY}\}\}|\$\{[^{}]+\}|\$\$?[A-Za-z_][A-Za-z0-9_]*(?:[.-][A-Za-z0-9_]+)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?|\$\([A-Za-z_][A-Za-z0-9_.-]*\)|\{\{${TEMPLATE_BODY}\}\}|<%=?[^%]*%>`,
  "g",
);

/**
 * True when the whole value is resolved elsewhere: `${VAR}`, `${VAR:-default}`, `$VAR`, `$(VAR)`
 * (Kubernetes), `{{ … }}` (Go/Helm templates), `${{ … }}` (GitHub Actions), `<%= … %>` (ERB),
 * `$name.key` / `$secret-name:key` (the Secret references Argo CD and its notifications resolve),
 * several of them joined by punctuation (`${USER}:${PASS}`), or a command substitution
 * (`$(cat /run/secrets/token)`, `` `vault read …` ``) that the shell runs.
 */
export function isReference(value: string): boolean {
  const v = value.trim();
  if (v === "" || v.length > MAX_TEMPLATE_LENGTH) return false;
  if (/^\$\([\s\S]+\)\s*;?$/.test(v) || /^`[^`]+`$/.test(v)) return true;
  const rest = v.replace(REFERENCE_TOKEN, "");
  return rest.length < v.length && /^[\s:/@.,;_-]*$/.test(rest);
}
