// What a file with a credential's name holds: a `.env` of settings, an `.npmrc` of options or a
// 0-byte key is no credential, whatever its name. Judged with the secrets toolkit's value rules
// (src/secrets) and the content checks of `credentialFile`; names of keys are reported, never values.
import { createSourceFile } from "../source.js";
import { envFileEntries } from "../parsers/compose-vars.js";
import { isDotenvName, isLiteralSecretValue, isSecretName, keyList, mightHoldToken, quote, scanTokens, urlWithPassword } from "../secrets/index.js";
import { baseName, credentialFile, E164, isPhoneLikeName } from "./repo.js";

export interface CredentialContent {
  /** What the file is, by name: "dotenv file", "private key", … */
  kind: string;
  /** What in it is a credential, for messages: `sets DB_PASSWORD, API_TOKEN`, `a private key`; never a value. */
  holds: string;
}

/**
 * The credential a file holds, judged by its content; undefined when it holds none (only
 * settings, a public certificate, nothing at all). A file whose text cannot be read (binary,
 * too large) is judged by its name: a keystore is a credential.
 */
export async function credentialContent(relPath: string, text: string | undefined, allow: (v: string) => boolean): Promise<CredentialContent | undefined> {
  const found = credentialFile(createSourceFile(relPath, relPath, "text", text ?? ""));
  if (!found) return undefined;
  if (text === undefined) return { kind: found.kind, holds: found.kind };
  if (text.trim() === "") return undefined;
  if (isDotenvName(baseName(relPath))) {
    const keys = sensitiveDotenvKeys(text, allow);
    if (keys.length > 0) return { kind: found.kind, holds: `sets ${keyList(keys)}` };
    const tokens = mightHoldToken(text) ? await scanTokens(text, relPath).catch(() => []) : [];
    const token = tokens.find((t) => !allow(text.slice(t.start, t.end)));
    return token ? { kind: found.kind, holds: `a ${token.kind}` } : undefined;
  }
  return { kind: found.kind, holds: found.evidence ? evidenceOf(text, found.evidence[0]) : found.kind };
}

const MAX_LINE = 256;

/** What the evidence at an offset is: a private key, or the setting that holds a literal (`_authToken`). */
function evidenceOf(text: string, at: number): string {
  if (text.startsWith("-----BEGIN", at) || text.startsWith("-----BEGIN", text.lastIndexOf("\n", at) + 1)) return "a private key";
  // (at most MAX_LINE characters before the value: the pattern is tried from each of them)
  const line = text.slice(Math.max(text.lastIndexOf("\n", at - 1) + 1, at - MAX_LINE), at);
  const key = /([A-Za-z_][\w.-]*)"?\s*[:=]\s*"?$/.exec(line)?.[1];
  return key ? `a literal \`${quote(key)}\`` : "a credential";
}

/**
 * The keys of a `.env` text whose values are credentials or account identifiers: a
 * secret-looking name with a literal value (not a reference, placeholder, path, number or
 * boolean), a URL with a password, or an account's phone number.
 */
export function sensitiveDotenvKeys(text: string, allow: (v: string) => boolean): string[] {
  const keys: string[] = [];
  for (const { name, value } of envFileEntries(text)) {
    const v = value.trim();
    const url = urlWithPassword(v);
    if (
      (isSecretName(name) && isLiteralSecretValue(v, allow)) ||
      (url !== undefined && !allow(v.slice(url.start, url.end))) ||
      (isPhoneLikeName(name) && E164.test(v))
    ) {
      keys.push(name);
    }
  }
  return [...new Set(keys)];
}
