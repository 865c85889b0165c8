/** A file mode as it is written in chmod and manifests: `0644`, `01130` for a value above 0777. */
export function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, "0")}`;
}

/**
 * A file mode given as an option: a string of octal digits ("0600", "600", "0o600"), or a number,
 * read as octal digits when every digit is one (`maxMode: 0400` in a YAML 1.2 config file is the
 * number 400), else as the mode itself up to 0777 (`0o600` there is the number 384). Undefined
 * when it is none of these.
 */
export function fileModeOption(option: unknown): number | undefined {
  const raw = typeof option === "number" ? String(option) : typeof option === "string" ? option.trim() : "";
  const m = /^(?:0o?)?([0-7]{1,4})$/i.exec(raw);
  if (m) return Number.parseInt(m[1], 8) & 0o777;
  if (typeof option === "number" && Number.isInteger(option) && option >= 0 && option <= 0o777) return option;
  return undefined;
}
