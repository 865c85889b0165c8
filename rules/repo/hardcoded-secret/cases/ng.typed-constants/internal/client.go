package internal

const signalApiKey = "Yt7Kp3Wq9Lm2Xz6Vb4Nc8Rd1Hs5Gf0Ja"
