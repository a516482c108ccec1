#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (browser downloads do not work here).
# Installs it when missing and we may; otherwise says how.
set -euo pipefail
for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium-headless-shell /usr/bin/chromium; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then exit 0; fi
done
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing chromium-headless-shell for the browser tests…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null
else
  echo "the browser tests need Chromium: apt-get install chromium-headless-shell (or set CHROMIUM_PATH)" >&2
  exit 1
fi
