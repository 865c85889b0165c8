package notify

import "testing"

// A live token pasted into a test is as leaked as one anywhere else.
func TestPost(t *testing.T) {
	c := New("xoxb-5193827460-6281930475162-Hq7Lm2Xv9Kp4Rt8Wz3Nb6Yc")
	if err := c.Post("#ops", "hi"); err != nil {
		t.Fatal(err)
	}
}
