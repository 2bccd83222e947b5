#!/usr/bin/env bash
# Makes sure the end-to-end tests have a Chromium: the system's (Debian's `chromium`,
# or CHROMIUM_PATH), installed with apt-get when possible, otherwise Playwright's own.
set -euo pipefail
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then exit 0; fi
if [ -x /usr/bin/chromium ]; then exit 0; fi
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
  echo "Installing Debian's chromium for the end-to-end tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No system Chromium found; installing Playwright's own…"
npx playwright install chromium
