// Connection strings look like postgres://u:p@host or redis://:pw@cache.
const GITHUB_TOKEN = `ghp_${randomToken(36)}`;
const apiSecret = process.env.API_SECRET ?? "";
module.exports = { GITHUB_TOKEN, apiSecret };
