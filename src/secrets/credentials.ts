// The one shared list of credential file names (SPEC §5 "Credential names"). Every rule that
// asks "is this a credential file / directory?" asks here.

/** `.env` and `.env.*`, the committed-by-design examples included. */
export function isDotenvName(basename: string): boolean {
  return basename === ".env" || (basename.startsWith(".env.") && basename.length > ".env.".length);
}

const EXAMPLE_SUFFIX = /\.(?:example|sample|template|dist)$/i;

/** `.env.example`, `.env.sample`, `.env.template`, `.env.dist`, and `.env.<stage>.example` etc. */
export function isDotenvExample(basename: string): boolean {
  return isDotenvName(basename) && EXAMPLE_SUFFIX.test(basename);
}

/** A messaging (signal-cli) data directory is named after the account's phone number. */
const PHONE_DIR = /^\+\d{3,15}$/;

function segmentsOf(relPath: string): string[] {
  return relPath
    .replace(/\\/g, "/")
    .split("/")
    .filter((s) => s !== "" && s !== ".");
}

/** Index of the innermost `+<digits>` directory among `dirs`, or -1. */
function phoneDirIndex(dirs: string[]): number {
  for (let i = dirs.length - 1; i >= 0; i--) if (PHONE_DIR.test(dirs[i]!)) return i;
  return -1;
}

/**
 * A short description of the credential a (posix, relative) path names — "dotenv file",
 * "private key", "messaging identity key", "kubeconfig", "Terraform state" … — or undefined
 * when the name is not a credential file's.
 */
export function credentialKind(relPath: string): string | undefined {
  const segs = segmentsOf(relPath);
  const base = segs[segs.length - 1];
  if (base === undefined) return undefined;
  const dirs = segs.slice(0, -1);
  const lower = base.toLowerCase();

  if (isDotenvName(base)) return isDotenvExample(base) ? undefined : "dotenv file";

  // Messaging data directory: data/+15550100200/identity.json, …/sessions/*.
  const phone = phoneDirIndex(dirs);
  if (phone >= 0) {
    if (dirs.slice(phone + 1).includes("sessions")) return "messaging session key";
    if (base === "identity.json") return "messaging identity key";
    if (base === "account.json") return "messaging account file";
  }

  if (lower.endsWith(".pub")) return undefined;
  if (/^id_(?:rsa|dsa|ecdsa|ed25519)/.test(base)) return "SSH private key";
  if (lower.endsWith(".pem")) return "PEM key file";
  if (lower.endsWith(".key")) return "private key";
  if (lower.endsWith(".p12") || lower.endsWith(".pfx")) return "PKCS#12 keystore";
  if (lower.endsWith(".jks")) return "Java keystore";
  if (base === "credentials.json") return "credentials file";
  if (lower === "kubeconfig" || /^kubeconfig\.ya?ml$/.test(lower) || lower.endsWith(".kubeconfig")) return "kubeconfig";
  if (base === "config" && dirs[dirs.length - 1] === ".kube") return "kubeconfig";
  if (base === ".npmrc") return "npm credentials (.npmrc)";
  if (base === ".pypirc") return "PyPI credentials (.pypirc)";
  if (base === ".netrc" || base === "_netrc") return "netrc credentials";
  if (base === ".git-credentials") return "git credentials";
  if (lower.endsWith(".tfstate") || lower.endsWith(".tfstate.backup")) return "Terraform state";
  return undefined;
}

/**
 * True for directories that hold credentials: `.ssh`, `.gnupg`, `credentials`, `secrets`, a
 * messaging data directory `+<digits>`, and `sessions` inside one. Takes a relative posix path.
 */
export function isCredentialDirName(relDir: string): boolean {
  const segs = segmentsOf(relDir);
  const last = segs[segs.length - 1];
  if (last === undefined) return false;
  if (last === ".ssh" || last === ".gnupg" || last === "credentials" || last === "secrets") return true;
  if (PHONE_DIR.test(last)) return true;
  return last === "sessions" && phoneDirIndex(segs.slice(0, -1)) >= 0;
}
