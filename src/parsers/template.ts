/**
 * Whether a text holds template directives (`{{ .Values.x }}`, `{{- range }}`, Jinja's
 * `{{ var }}`, each opened and closed on one line): a file that is YAML only once a program
 * renders it. Linear: a line is searched once.
 */
export function isTemplate(text: string): boolean {
  for (let open = text.indexOf("{{"); open !== -1; ) {
    let end = text.indexOf("\n", open);
    if (end === -1) end = text.length;
    if (text.slice(open + 2, end).includes("}}")) return true;
    // No later `{{` of this line closes either (a `}}` after it would close this one).
    open = text.indexOf("{{", end);
  }
  return false;
}
