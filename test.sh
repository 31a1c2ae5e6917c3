#!/usr/bin/env bash
# Runs every test: unit and integration tests against a real (embedded) PostgreSQL,
# real HTTP servers, and headless Chromium for the login pages; then checks that no token,
# secret or password reached any log of the run.
set -euo pipefail
cd "$(dirname "$0")"

# the login pages are tested end to end in a real headless Chromium (authorize.BrowserFlowTest)
if [[ ! -x /usr/bin/chromium || ! -x /usr/bin/chromedriver ]]; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    echo "test.sh: installing chromium and chromium-driver for the browser tests (apt-get)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "test.sh: the browser tests need Chromium: install the Debian packages chromium and chromium-driver" \
      "(as root: apt-get install -y chromium chromium-driver), then run ./test.sh again" >&2
    exit 1
  fi
fi
command -v mvn >/dev/null || { echo "test.sh: Maven is needed: install it (apt-get install maven) and a JDK 17" >&2; exit 1; }

rm -rf target/surefire-reports target/child-logs
mvn -B -ntp verify "$@"
.ci/no-secrets-in-logs
