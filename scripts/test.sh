#!/usr/bin/env bash
# Runs the whole suite the way CI does: lint, migrations check, the tests on SQLite, again on a
# private PostgreSQL server, and the browser tests in Debian's Chromium. Layers that cannot run
# here (not root, packages missing) are reported as skipped, never silently dropped.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN="$ROOT/.venv/bin"
REPORTS=$(mktemp -d)
export HEARD_DATA_DIR="$REPORTS/data"
mkdir -p "$HEARD_DATA_DIR"
declare -a RESULTS=()
FAILED=0

layer() { # name, then the command
  local name=$1; shift
  echo
  echo "=== $name ==="
  local start=$SECONDS
  if "$@"; then
    RESULTS+=("$name: passed ($((SECONDS - start)) s)")
  else
    local code=$?
    if [[ $code -eq 5 ]]; then
      RESULTS+=("$name: FAILED: no tests were collected")
    else
      RESULTS+=("$name: FAILED (exit $code)")
    fi
    FAILED=1
  fi
}

bash scripts/install-system-deps.sh

layer "ruff lint" "$BIN/ruff" check .
layer "ruff format" "$BIN/ruff" format --check .
layer "migrations check" "$BIN/heard" makemigrations --check --dry-run

PYTEST=("$BIN/python" -m pytest -p no:cacheprovider -q)
layer "tests on SQLite" "${PYTEST[@]}" -m "not browser" --junitxml="$REPORTS/sqlite.xml"

if PG_URL=$(bash scripts/pg-test-server.sh start); then
  # The committee PDF test lays out the demo council's whole report (minutes of CPU, and no
  # query of its own): it runs once, in the SQLite layer.
  layer "tests on PostgreSQL" env DATABASE_URL="$PG_URL" "${PYTEST[@]}" -m "not browser" \
    --deselect tests/reports/test_committee_pdf.py --junitxml="$REPORTS/postgresql.xml"
  bash scripts/pg-test-server.sh stop >/dev/null || true
else
  RESULTS+=("tests on PostgreSQL: SKIPPED (no PostgreSQL server could be started; run as root to install it)")
fi

# axe-core (from the npm registry, pinned in assets/package-lock.json) for the accessibility
# checks in the browser tests.
if command -v npm >/dev/null; then
  npm ci --prefix assets --silent --no-audit --no-fund >/dev/null 2>&1 \
    || echo "npm ci in assets/ failed: the accessibility checks will fail."
fi

if bash scripts/chromium-ok.sh; then
  layer "browser tests" "${PYTEST[@]}" -m browser --junitxml="$REPORTS/browser.xml"
else
  RESULTS+=("browser tests: SKIPPED (Debian's Chromium is not usable; run as root to install it)")
fi

echo
echo "=== summary ==="
printf '%s\n' "${RESULTS[@]}"
"$BIN/python" - "$REPORTS"/*.xml <<'PY'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for suite in root.iter("testsuite"):
        tests = int(suite.get("tests", 0))
        bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skip = int(suite.get("skipped", 0))
        passed += tests - bad - skip
        failed += bad
        skipped += skip
print(f"{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $FAILED
