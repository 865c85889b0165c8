package settings

// Names and keys of settings, not their values.
const (
	stsWebIdentityToken          = "WebIdentityToken"
	settingAdminPasswordMtimeKey = "admin.passwordMtime"
	SecretPushFormatKey          = "secretPushFormat"
	idempotencyTokenFillTag      = `idempotencyToken`
	secretUUID                   = "d5deb37a-7883-4fe2-a5e7-3c15420adc76"
)

var fixture = Repository{
	GithubAppPrivateKey:  "GithubAppPrivateKey",
	GCPServiceAccountKey: "GCPServiceAccountKey",
	AccessKey:            "Invalid-AccessID",
	PrivateKey:           "private-key2.key",
}
