// The shared secrets toolkit: what a secret-looking name is, which values are secrets (and why
// the others are not), credential file names, masking, and known token formats.
export { isSecretName, isSettingName, nameWords } from "./names.js";
export { isReference } from "./reference.js";
export { isPlaceholder, isVariableName } from "./placeholder.js";
export { whyNotSecret, isLiteralSecretValue, isPasswordHash, isDocumentationKey, isPublishableKey, decodedText, type NotSecret } from "./values.js";
export { urlWithPassword } from "./urls.js";
export { credentialKind, isDotenvName, isDotenvExample, isCredentialDirName } from "./credentials.js";
export { maskSecret, keyList } from "./mask.js";
export { scanTokens, mightHoldToken, entropy, isHighEntropy, findPrivateKeys, type TokenMatch } from "./tokens.js";
export { secretsInText, type EmbeddedSecret } from "./content.js";
