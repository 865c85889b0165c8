package settings

// A value whose last word is what its name holds describes itself.
func TestLogout(t *testing.T) {
	assert.NotContains(t, cfg.Users, User{AuthToken: "vEryS3cr3tReFre$hToken", Name: "argocd1.example.com:443"})
}
