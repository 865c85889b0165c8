// What an env file (`.env`, a compose `env_file`) holds, for the rules that judge a committed one
// by its content (repo/committed-dotenv, repo/dotenv-not-ignored, compose/committed-env-file).
import { isLiteralSecretValue, isPlaceholder, isReference, isSecretName, keyList, nameWords, urlWithPassword } from "../secrets/index.js";
import { envFileEntries } from "./compose.js";
import { E164 } from "./repo.js";

export interface EnvFileContent {
  /** Keys holding a credential: a secret-named key with a literal secret, or a URL with a password. */
  secrets: string[];
  /** Keys holding an account identifier: a phone number, or an account or login name. */
  accounts: string[];
  /** Secret-named keys without a real value yet (empty, a placeholder such as `changeit`, a reference). */
  templates: string[];
}

/** Names of an account the deployment acts as: `SIGNAL_ACCOUNT`, `BOT_LOGIN`. */
function isAccountName(name: string): boolean {
  const words = nameWords(name);
  const last = words[words.length - 1];
  return last === "ACCOUNT" || last === "LOGIN";
}

/**
 * Sorts the keys of an env file by what they hold (SPEC §5 repo/committed-dotenv): credentials,
 * account identifiers, secret-named keys with placeholder values; everything else is a setting
 * (`COMPOSE_PROJECT_NAME`, paths, ports, image tags, a time zone) and is in none of the lists.
 */
export function envFileContent(text: string, allow: (v: string) => boolean): EnvFileContent {
  const out: EnvFileContent = { secrets: [], accounts: [], templates: [] };
  const add = (list: string[], name: string) => {
    if (!list.includes(name)) list.push(name);
  };
  for (const { name, value } of envFileEntries(text)) {
    const url = urlWithPassword(value);
    if (url && !allow(value.slice(url.start, url.end))) add(out.secrets, name);
    else if (isSecretName(name)) add(isLiteralSecretValue(value, allow, name) ? out.secrets : out.templates, name);
    else if (E164.test(value) || (isAccountName(name) && value !== "" && !isPlaceholder(value) && !isReference(value))) add(out.accounts, name);
  }
  return out;
}

/** What the file holds, for a message: `credentials (DB_PASSWORD) and account identifiers (SIGNAL_ACCOUNT)`. */
export function describeSensitive(content: EnvFileContent): string {
  return [
    content.secrets.length > 0 ? `credentials (${keyList(content.secrets)})` : "",
    content.accounts.length > 0 ? `account identifiers (${keyList(content.accounts)})` : "",
  ]
    .filter(Boolean)
    .join(" and ");
}
