// Which values are secrets: the one classifier every secret rule asks (compose/literal-secret-env,
// docker/secret-in-env, k8s/secret-in-env, k8s/configmap-secret, k8s/committed-secret,
// repo/hardcoded-secret, repo/committed-dotenv, repo/committed-credentials,
// compose/committed-env-file). A value is a secret unless it is one of the shapes below, each
// seen in real repositories where a literal-minded check called it a credential.
import { nameWords } from "./names.js";
import { isPlaceholder, isVariableName, MAX_TEMPLATE_LENGTH } from "./placeholder.js";
import { isReference } from "./reference.js";
import { findPrivateKeys } from "./extra-patterns.js";
import { urlWithPassword } from "./urls.js";

export { isPlaceholder } from "./placeholder.js";
export { isReference } from "./reference.js";

/** Why a value is not a secret; see `whyNotSecret`. */
export type NotSecret =
  | "empty"
  | "text in a language"
  | "reference"
  | "structure"
  | "boolean or number"
  | "setting"
  | "path or file name"
  | "location"
  | "password hash"
  | "encrypted value"
  | "public key or certificate"
  | "documentation key"
  | "publishable key"
  | "placeholder"
  | "code"
  | "its own name"
  | "variable name";

/** A YAML/JSON collection or block opener (`[]`, `{`, `|-`). */
const OPENER = /^(?:[[{(]|\[\s*\]|\{\s*\}|[|>][-+]?\d*[-+]?)$/;

/** A flow collection (`{"groups": …}`, `["a", "b"]`), tested without a regex over the whole value. */
function isFlowCollection(v: string): boolean {
  return (v.startsWith("{") && v.endsWith("}") && /[:"']/.test(v)) || (v.startsWith("[") && v.endsWith("]") && /["',\s]/.test(v));
}

const BOOLEAN = /^(?:true|false|yes|no|on|off|y|n)$/i;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Durations, sizes, dates, times, IP addresses: settings, whatever the name says. */
const MEASURE = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d|w|y|[kmgtp]i?b?)|\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?(?:\/\d+)?)$/i;

/**
 * Setting values that secret-named keys take in configuration files: modes, methods, algorithms
 * and sources (`KAFKA_SSL_CLIENT_AUTH: required`, `access_token: jwt`, nsswitch's `passwd: compat`).
 */
const SETTING_VALUES = new Set(
  (
    "required optional requested none disabled enabled disable enable auto default strict lax always never allow deny " +
    "jwt jwe jws basic bearer digest oauth oauth2 oidc ldap saml kerberos ntlm negotiate plain login cram-md5 scram-sha-1 scram-sha-256 scram-sha-512 " +
    "md5 sha1 sha256 sha384 sha512 hs256 hs384 hs512 rs256 rs384 rs512 es256 es384 es512 ps256 eddsa aes aes128 aes256 aes-256-gcm " +
    "trust reject peer ident cert password-only internal external local remote file files env environment vault kubernetes " +
    "compat db nis nisplus dns systemd sss mymachines myhostname hash header query cookie form body"
  ).split(" "),
);

/** Hashes of passwords (what a server stores, not what it accepts): crypt formats, htpasswd, LDAP schemes, Django. */
const PASSWORD_HASH =
  /^(?:\$(?:2[abxy]?|1|5|6|apr1|md5|sha1|y|gy|7|argon2(?:id|i|d)|scrypt|pbkdf2(?:-sha\d+)?)\$[^\s]{8,}|\$[PH]\$[./A-Za-z0-9]{31}|\{(?:SHA|SSHA|SHA256|SSHA256|SHA512|SSHA512|MD5|SMD5|CRYPT|PBKDF2[\w-]*|ARGON2|BCRYPT|bcrypt|sha256|pbkdf2)\}[A-Za-z0-9+/=.$]{8,}|(?:pbkdf2_sha\d+|argon2|bcrypt_sha256|bcrypt|scrypt)\$[^\s]{8,})$/;

/**
 * A stored password hash, alone or in an htpasswd/htdigest entry (`user:$apr1$…`,
 * `user:realm:<md5>`), a comma-separated list of them (Traefik's `basicauth.users`), with
 * compose's `$$` escapes undone.
 */
export function isPasswordHash(value: string): boolean {
  const v = value.replace(/\$\$/g, "$");
  const entry = (e: string) =>
    /^[^:\s]+:[^:\s]+:[0-9a-f]{32}$/.test(e) || // htdigest user:realm:md5
    PASSWORD_HASH.test(e) ||
    PASSWORD_HASH.test(e.replace(/^[^:$\s{]+:/, ""));
  // (split on `,` and trimmed: `/\s*,\s*/` rescans a run of blanks from each of them)
  return entry(v) || v.split(",").every((e) => entry(e.trim()));
}

/** Ciphertexts that need a key held elsewhere: SOPS, Spring Cloud Config, Jasypt, Ansible Vault, Vault transit, Harbor. */
const ENCRYPTED = /^(?:ENC\[[A-Z0-9_]+,data:|ENC\(.+\)$|\{cipher\}|\$ANSIBLE_VAULT;|vault:v\d+:|<enc-v\d+>)/;

/**
 * Keys vendors publish, in their documentation or as shipped defaults, for everyone to use, each
 * with its source. (AWS's `AKIAIOSFODNN7EXAMPLE` / `…EXAMPLEKEY` pair is caught as a placeholder
 * by its EXAMPLE; jwt.io's sample token by its payload, below.)
 */
const DOCUMENTATION_VALUES = new Set([
  // MinIO's public "play" server (min.io docs, the minio-go README): access key, secret key
  "Q3AM3UQ867SPQQA43P2F",
  "zuf+tfteSlswRu7BJ86wekitnifILbZam1KYY3TG",
  // Azurite's well-known storage account key (learn.microsoft.com, "Use the Azurite emulator")
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  // Stripe's documentation test keys (stripe.com/docs/keys)
  "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
  "sk_test_BQokikJOvBiI2HlWgH4olfQ2",
  // docs.github.com, "Authenticating as a GitHub App installation": the example installation token
  "ghs_16C7e42F292c6912E7710c838347Ae178B4a",
  // Grafana's shipped default `secret_key` (conf/defaults.ini, sample.ini)
  "SW2YcwTIb9zpOOhoPsMm",
  // RFC 8555 §8.3: the example ACME challenge token (public by design: it is served over HTTP)
  "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA",
]);

/** A JWT's payload, if the value is one. */
function jwtPayload(value: string): Record<string, unknown> | undefined {
  const m = /^eyJ[A-Za-z0-9_-]+\.(eyJ[A-Za-z0-9_-]+)\.[A-Za-z0-9_-]*$/.exec(value);
  if (!m) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(m[1]!, "base64url").toString("utf8"));
    return typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Vendors' documentation values, jwt.io's "John Doe" sample token among them. */
export function isDocumentationKey(value: string): boolean {
  if (DOCUMENTATION_VALUES.has(value) || DOCUMENTATION_VALUES.has(value.replace(/(?<![.,;:])[.,;:]+$/, ""))) return true;
  const payload = jwtPayload(value);
  return payload !== undefined && payload.sub === "1234567890" && payload.name === "John Doe";
}

/**
 * Keys made to be shipped to browsers and apps: Stripe publishable keys (`pk_live_`, `pk_test_`),
 * PostHog project keys (`phc_`), Mapbox public tokens (`pk.eyJ`), Supabase `anon` JWTs.
 */
export function isPublishableKey(value: string): boolean {
  if (/^(?:pk_(?:live|test)_|phc_|pk\.eyJ)[A-Za-z0-9._-]{10,}$/.test(value)) return true;
  return jwtPayload(value)?.role === "anon";
}

/** An OpenSSH public key line (`ssh-ed25519 AAAA… comment`). */
const SSH_PUBLIC_KEY = /^(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-[a-z0-9]+|sk-ssh-ed25519@openssh\.com) AAAA/;

/** File names and relative paths ending in a known extension: `creds.txt`, `certs/tls.key`, `private-key2.key`. */
const FILE_NAME = /^(?:[\w.-]+\/)*[\w.-]*[A-Za-z0-9_-]\.(?:key|pem|crt|cer|csr|der|p8|p12|pfx|jks|keystore|truststore|bcfks|pub|txt|json|ya?ml|toml|ini|cfg|conf|properties|xml|env|creds?|secret|token|gpg|asc|kdbx)$/i;

function isPath(v: string): boolean {
  if (/^(?:\.\.?\/|~\/|[A-Za-z]:[\\/])/.test(v) || FILE_NAME.test(v)) return true;
  // A leading `/` is a path, unless the value looks like base64 (`/K7MD+bP==`).
  return v.startsWith("/") && !/[+]/.test(v) && !/=$/.test(v);
}

/**
 * Code, not a value: a call, an index or a struct literal (`os.environ["X"]`, `getToken()`,
 * `&syscall.Credential{…}`), a negation (`!showSecret`), or a member chain rooted in something
 * programs and Terraform read settings from (`process.env.X`, `var.db_password`, `data.x.y[0].password`).
 */
function isCode(v: string): boolean {
  // A call, index or literal runs to its closing bracket: `r(m)9nLG…` is a password that starts like one.
  if (/^[!&*]?(?:new\s+)?[A-Za-z_$][\w$]*(?:(?:\.|::|->)[A-Za-z_$][\w$]*)*\s*[([{][\s\S]*[)\]}]\s*;?$/.test(v)) return true;
  if (/^![A-Za-z_$][\w$.]*$/.test(v)) return true;
  return /^(?:process\.env|os\.environ|import\.meta\.env|System\.getenv|ENV|env|var|local|module|data|self|this|settings|config|cfg|conf|params|args|secrets|inputs|vars)(?:\.[A-Za-z_$][\w$-]*|\[[^\]]+\])+$/.test(v);
}

/**
 * The value spells the name it is assigned to, or several of its words (`adminTokenSecret:
 * adminTokenSecret`, `stsWebIdentityToken = "WebIdentityToken"`). One word of a longer name is
 * not enough: `WORDPRESS_DB_PASSWORD=wordpress` is a (weak) password.
 */
function isOwnName(value: string, name: string | undefined): boolean {
  if (!name || !/^[A-Za-z][A-Za-z0-9_.-]*$/.test(value)) return false;
  const words = nameWords(value);
  const nameList = nameWords(name);
  if (words.length === 0 || (words.length === 1 && nameList.length > 1)) return false;
  return words.every((w) => nameList.includes(w));
}

/**
 * A value of several words whose last word is what its name says it holds: `refresh-token:
 * myRefreshToken`, `AuthToken: "vErrYS3c3tReFRe$hToken"`, `password: "adminPassword1"`. A
 * generated secret never ends in the word for itself.
 */
function namesItsKind(value: string, name: string | undefined): boolean {
  if (!name) return false;
  const words = value.replace(/[^A-Za-z]+$/, "").match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  const last = words[words.length - 1]?.toUpperCase();
  return words.length >= 2 && last !== undefined && /^(?:PASSWORD|PASSWD|SECRET|TOKEN|KEY|APIKEY|CREDENTIALS?)$/.test(last) && nameWords(name).includes(last);
}

/** The text a base64 value encodes, when it is printable text (then that text is what is judged). */
export function decodedText(value: string): string | undefined {
  const v = value.replace(/\s+/g, "");
  if (v.length < 8 || v.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(v) || /^[0-9a-fA-F]+$/.test(v)) return undefined;
  const text = Buffer.from(v, "base64").toString("utf8");
  return /^[\x20-\x7e\t\r\n]+$/.test(text) ? text.replace(/\r?\n$/, "") : undefined;
}

function stripQuotes(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** Two letters in a row of a script other than Latin. */
const NON_LATIN_TEXT = /(?:(?!\p{Script=Latin})\p{L}){2}/u;

/**
 * Why `value` is not a secret, or undefined when it is one (SPEC §5 "literal"). `name` is what it
 * is assigned to (an env var, a key), when known: a value that spells its own name is not a secret.
 * Base64 that encodes printable text is judged by that text too (`bXlwYXNzd29yZA==` is `mypassword`).
 */
export function whyNotSecret(value: string, name?: string, depth = 0): NotSecret | undefined {
  const v = stripQuotes(value.trim()).trim();
  if (v === "") return "empty";
  if (isPasswordHash(v)) return "password hash";
  if (isReference(v)) return "reference";
  if (OPENER.test(v) || isFlowCollection(v)) return "structure";
  if (BOOLEAN.test(v) || NUMBER.test(v) || MEASURE.test(v)) return "boolean or number";
  if (SETTING_VALUES.has(v.toLowerCase())) return "setting";
  // Letters of a non-Latin script (`APIユーザー名とAPIキーは{0}から取得できます。`): a translation
  // string keyed like its subject (`wayToGetClickSendSMSToken`); tokens and keys are ASCII.
  if (NON_LATIN_TEXT.test(v)) return "text in a language";
  // PEM: a private key with a body is a secret; certificates, public keys, empty or truncated blocks are not.
  if (v.includes("-----BEGIN")) return findPrivateKeys(v).length > 0 ? undefined : "public key or certificate";
  if (SSH_PUBLIC_KEY.test(v)) return "public key or certificate";
  if (isPath(v)) return "path or file name";
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+$/.test(v) && !urlWithPassword(v)) return "location";
  if (ENCRYPTED.test(v)) return "encrypted value";
  if (isDocumentationKey(v)) return "documentation key";
  if (isPublishableKey(v)) return "publishable key";
  if (isPlaceholder(v)) return "placeholder";
  // What follows reads the value as words: never worth it (and slow) on a long one.
  if (v.length > MAX_TEMPLATE_LENGTH) return undefined;
  if (isCode(v)) return "code";
  if (isOwnName(v, name) || namesItsKind(v, name)) return "its own name";
  if (isVariableName(v)) return "variable name";
  const decoded = depth === 0 ? decodedText(v) : undefined;
  if (decoded !== undefined) return whyNotSecret(decoded, name, depth + 1);
  return undefined;
}

/**
 * True when `value` is a literal that would put a secret in the repo: a non-empty string that
 * `whyNotSecret` does not explain away and that `allow` (the config's `secrets.allow`) does not
 * accept. Non-strings (YAML numbers, booleans, null) are never literals.
 */
export function isLiteralSecretValue(
  value: string | number | boolean | null | undefined,
  allow?: (v: string) => boolean,
  name?: string,
): boolean {
  if (typeof value !== "string") return false;
  const v = stripQuotes(value.trim()).trim();
  if (whyNotSecret(v, name) !== undefined) return false;
  if (allow && (allow(v) || allow(value))) return false;
  return true;
}
