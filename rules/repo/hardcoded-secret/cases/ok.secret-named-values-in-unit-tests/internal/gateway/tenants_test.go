package gateway

import "testing"

// Table tests build their configuration from literals, next to the code they test.
func TestTenantSecrets(t *testing.T) {
	cases := []struct {
		name string
		cfg  OIDC
	}{
		{
			name: "cookie secret from the tenant",
			cfg: OIDC{
				ClientID:     "tenant-a",
				ClientSecret: "Qm7vTz2KpX9wLr4NcB8yHd3F",
				CookieSecret: "w8Xn2LqR5tZ7vK3mP9cJ4hB6",
			},
		},
	}
	for _, c := range cases {
		if err := c.cfg.Validate(); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
	}
}
