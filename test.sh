#!/usr/bin/env bash
# Runs every test: unit and integration tests against a real (embedded) PostgreSQL,
# real HTTP servers, and headless Chromium for the login pages.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B -ntp verify "$@"
