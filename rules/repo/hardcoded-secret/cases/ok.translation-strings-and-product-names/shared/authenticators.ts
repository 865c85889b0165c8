/** Authenticator AAGUIDs by the product that registered the passkey. */
export enum AuthenticatorId {
  AcmePasswordManager = "5c3b9e2a-7d41-4f08-9b6e-2a8c1d7f4e93",
  VaultPasswordManager = "d8f21a6c-3e95-4b7a-8c04-9f1e6b2d5a37",
}
