import { signSession } from "./session.js";

it("signs with the configured secret", () => {
  const apiKey = "kP4mZ8tQ2rX7vL9nW3cB";
  expect(signSession({ user: "ada" }, apiKey)).toMatch(/^v1\./);
});
