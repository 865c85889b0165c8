#!/bin/sh
export API_TOKEN="$(cat /run/secrets/api_token)"
export DB_PASSWORD=${DB_PASSWORD:?}
psql "postgres://bot:$DB_PASSWORD@db/bot"
