// What counts as a secret-looking name (SPEC §5 "Secret-looking names", "Settled details").
// Which values are secrets is ./values.ts's.

import { boundedMemo } from "../memo.js";

/** Words that make a name secret wherever they appear (before a non-secret suffix). */
const SECRET_WORDS = new Set([
  "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "PASSPHRASE",
  "SECRET", "SECRETS", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS", "APIKEY", "APIKEYS",
]);

/**
 * Secret words that may also close a single lower-case word (`dbpassword`, `authtoken`,
 * `clientsecret`). PASS and AUTH are excluded: `bypass`, `compass`, `oauth` are not secrets.
 */
const SECRET_WORD_ENDINGS = [
  "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "CREDENTIAL", "CREDENTIALS",
];

/**
 * Qualifiers that make a following KEY a secret (API_KEY, SECRET_KEY, PRIVATE_KEY …). A list,
 * not "anything but PUBLIC": SORT_KEY, CACHE_KEY, PARTITION_KEY, S3 object keys are not secrets.
 * GPG/PGP are left out: `ENV GPG_KEY <fingerprint>` in the official language images is a public
 * key id (GPG_PRIVATE_KEY still counts through PRIVATE). ACCESS is left out too: an S3 access key
 * (`MINIO_ACCESS_KEY`, `AWS_ACCESS_KEY`) is the key id, the public half of the pair; its secret
 * half is SECRET_KEY / SECRET_ACCESS_KEY.
 */
const KEY_QUALIFIERS = new Set([
  "API", "APP", "SECRET", "PRIVATE", "SIGNING", "SIGN", "SIGNATURE", "ENCRYPTION", "ENCRYPT",
  "DECRYPTION", "DECRYPT", "CRYPTO", "CIPHER", "MASTER", "AUTH", "SESSION", "CLIENT", "HMAC", "JWT",
  "SSH", "TLS", "SSL", "RSA", "LICENSE", "ADMIN", "SERVICE", "ACCOUNT", "SERVER",
  "WEBHOOK", "SHARED", "STORAGE", "ROOT", "DEPLOY", "COOKIE", "CSRF",
]);

/** A last word that says the name holds something about a secret, not the secret itself. */
const NON_SECRET_SUFFIXES = new Set([
  "DIR", "DIRS", "DIRECTORY", "FOLDER", "PATH", "PATHS", "FILE", "FILES", "FILENAME", "URL", "URLS", "URI",
  "ENDPOINT", "HOST", "HOSTNAME", "PORT", "ADDR", "ADDRESS", "NAME", "NAMES", "ID", "IDS", "ARN",
  "ENABLED", "ENABLE", "DISABLED", "DISABLE", "REQUIRED", "TTL", "USER", "USERNAME", "LOGIN", "TYPE",
  "KIND", "MODE", "LENGTH", "LEN", "SIZE", "TIMEOUT", "EXPIRY", "EXPIRES", "EXPIRATION", "LIFETIME",
  "DURATION", "INTERVAL", "AGE", "HEADER", "HEADERS", "FIELD", "PARAM", "REF", "VERSION", "COUNT",
  "ALGORITHM", "ALGORITHMS", "ALG", "ISSUER", "AUDIENCE", "PROVIDER", "METHOD", "STRATEGY", "SCHEME",
  "REGION", "FORMAT", "ENCODING", "PREFIX", "SUFFIX", "POLICY", "LOCATION", "NAMESPACE", "BUCKET",
  "STORE", "BACKEND", "SOURCE", "TEMPLATE", "PATTERN", "REGEX", "FINGERPRINT", "HINT", "LABEL",
  "SELECTOR", "MOUNT", "VOLUME", "MAX", "MIN", "LIMIT", "RETRIES", "DELAY", "ROTATION", "DOMAIN",
  "REDIRECT", "CALLBACK", "REALM", "SCOPE", "SCOPES", "TENANT", "SERVICE", "SERVER", "SERVERS", "PROXY",
  "STATUS", "LEVEL", "CACHE", "ROLE", "ROLES", "GROUP", "OWNER", "EMAIL", "PHONE", "NUMBER", "PERMISSIONS",
  // settings about a secret (`admin.passwordMtime`, `PASSWORD_STRENGTH`, `requestedIDTokenClaims`,
  // `secretEnv`, `storageSecretNameAnnotation`, `AUTH_PROXY_IMAGE`, `secretUUID`)
  "MTIME", "CTIME", "TIME", "TIMESTAMP", "DATE", "UPDATED", "CREATED", "CHANGED", "STRENGTH", "COMPLEXITY",
  "HISTORY", "HASH", "CLAIM", "CLAIMS", "ANNOTATION", "ANNOTATIONS", "ENV", "VAR", "VARS", "VARIABLE",
  "IMAGE", "IMG", "TAG", "DIGEST", "UUID", "GUID", "BACKENDS", "ATTR", "ATTRS",
  "ATTRIBUTE", "ATTRIBUTES", "JWKS", "CHECKSUM", "SALT",
  // a thing named after what it handles (`GooglePasswordManager`, `TokenStore`): not the secret itself
  "MANAGER",
]);

/** Words that say the value is not a secret whatever else the name says: public by design, or declared fake. */
const NOT_SECRET_WORDS = new Set(["PUBLIC", "PUBLISHABLE", "PUB", "FAKE", "MOCK", "DUMMY", "EXAMPLE", "SAMPLE"]);

/** A file name (`secret.html`, `credentials.json`): a key named after a file, whose content is what to judge. */
const FILE_NAME_KEY = /\.(?:json|ya?ml|html?|txt|conf|cfg|ini|properties|xml|toml|md|sh|py|js|ts|php|rb|tpl|tmpl|j2|csv)$/i;

/**
 * Split a name into upper-cased words on `_ - .`, any other non-alphanumeric, camelCase and
 * letter/digit boundaries. Pure digit words are dropped (`PASSWORD_2` ends in PASSWORD).
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    // An acronym before a word (HTTPServer). A lookahead, not `([A-Z]+)([A-Z][a-z])`: that one
    // rescans a run of capitals from each of its letters (quadratic on a long upper-case name).
    .replace(/([A-Z])(?=[A-Z][a-z])/g, "$1 ")
    .replace(/([A-Za-z])([0-9])/g, "$1 $2")
    .replace(/([0-9])([A-Za-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== "" && !/^[0-9]+$/.test(w))
    .map((w) => w.toUpperCase());
}

function isSecretWord(w: string): boolean {
  if (SECRET_WORDS.has(w)) return true;
  for (const end of SECRET_WORD_ENDINGS) if (w.length > end.length && w.endsWith(end)) return true;
  // One-word compounds: apikey, secretkey, privatekey, accesskey …
  for (const end of ["KEY", "KEYS"]) {
    if (w.endsWith(end) && KEY_QUALIFIERS.has(w.slice(0, -end.length))) return true;
  }
  return false;
}

/**
 * True when `name` looks like it holds a secret (SPEC "Secret-looking names"). Remembered by
 * name: names repeat across a tree (`password`, `API_KEY`, `token`: 63,000 assignments but few
 * distinct names on the 10k bench tree) and splitting one into words costs about 1 µs.
 */
export const isSecretName = boundedMemo(computeIsSecretName);

function computeIsSecretName(name: string): boolean {
  if (FILE_NAME_KEY.test(name)) return false;
  const words = nameWords(name);
  if (words.length === 0) return false;
  const last = words[words.length - 1]!;
  if (NON_SECRET_SUFFIXES.has(last) || words.some((w) => NOT_SECRET_WORDS.has(w))) return false;
  if (words.some(isSecretWord)) return true;
  // AUTH is the secret only as the last word (`REDIS_AUTH`, `BASIC_AUTH`); before others it is a
  // section of settings (`AUTH_LDAP_USER_SEARCH`, `ZULIP_AUTH_BACKENDS`).
  if (last === "AUTH") return true;
  // PWD alone is the shell's working directory; DB_PWD is a password (and so is POSTGRES_PW).
  if (words.length > 1 && (words.includes("PWD") || last === "PW")) return true;
  // …_KEY after a qualifier: API_KEY, PRIVATE_KEY, SESSION_KEY; never bare KEY or PUBLIC_KEY.
  if ((last === "KEY" || last === "KEYS") && words.length > 1 && KEY_QUALIFIERS.has(words[words.length - 2]!)) {
    return true;
  }
  return false;
}

/**
 * True when the name says its value is about a secret rather than one: a non-secret last word
 * (`username`, `url`, `clientID`, `type`, `project`, `passwordMtime`), a public or declared-fake
 * word (`publicKey`, `fakeToken`), or a file name (`secret.html`). Random-looking values under
 * such names are ids, hashes and settings.
 */
export function isSettingName(name: string): boolean {
  if (FILE_NAME_KEY.test(name)) return true;
  const words = nameWords(name);
  const last = words[words.length - 1];
  return last !== undefined && (NON_SECRET_SUFFIXES.has(last) || SETTING_WORDS.has(last) || words.some((w) => NOT_SECRET_WORDS.has(w)));
}

/** Last words of configuration keys that credential Secrets carry beside the credential. */
const SETTING_WORDS = new Set(["PROJECT", "INSECURE", "LFS", "OCI", "REPO", "REPOSITORY", "BRANCH", "ORG", "ORGANIZATION", "ACCOUNT", "SUBSCRIPTION", "DATABASE", "DB", "SCHEMA", "CLUSTER", "ZONE", "SERVICE", "DESCRIPTION"]);
