#!/usr/bin/env bash
# Succeeds when the browser tests can run: Debian's Chromium is installed and starts headless,
# and Playwright for Python is importable.
set -euo pipefail
[[ -x /usr/bin/chromium ]] || exit 1
timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d)" --dump-dom about:blank >/dev/null 2>&1 || exit 1
"$(dirname "$0")/../.venv/bin/python" -c "import playwright.sync_api" 2>/dev/null
