#!/usr/bin/env bash
# Runs every test: unit and integration tests against a real (embedded) PostgreSQL,
# real HTTP servers, and headless Chromium for the login pages; then checks that no token,
# secret or password reached any log of the run.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf target/surefire-reports target/child-logs
mvn -B -ntp verify "$@"
.ci/no-secrets-in-logs
