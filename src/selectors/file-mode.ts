/** A file mode as it is written in chmod and manifests: `0644`, `01130` for a value above 0777. */
export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}
