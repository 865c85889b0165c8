#!/bin/sh
set -eu
export GITHUB_TOKEN=ghp_R8mK2vQ9xL4tW7pZ3nB6yC1dF5gH0jS8aE2u
gh release create "$1"
