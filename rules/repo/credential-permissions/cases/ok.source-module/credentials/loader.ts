// Loads credentials from the environment; the directory holds code, not credentials.
export function apiToken(): string | undefined {
  return process.env.API_TOKEN;
}
