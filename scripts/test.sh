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
# Every server the tests start listens on loopback: never send those requests through a proxy
# the machine may set for reaching the package registries.
export NO_PROXY="127.0.0.1,localhost,::1${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"
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

# From the npm registry, pinned in assets/package-lock.json: axe-core for the accessibility
# checks in the browser tests, and oidc-provider, the real OpenID Connect provider the single
# sign-on tests start (tests/accounts/oidc/provider.mjs). Before the test layers, which need it.
if command -v npm >/dev/null; then
  npm ci --prefix assets --silent --no-audit --no-fund >/dev/null 2>&1 \
    || echo "npm ci in assets/ failed: the single sign-on and accessibility checks will fail."
fi

PYTEST=("$BIN/python" -m pytest -p no:cacheprovider -q)

# The SQLite and PostgreSQL layers are independent (their own database and data folder), and
# each pytest uses one core: they run side by side, and their output is printed one after the
# other when both are done.
background_layer() { # name, log file, then the command
  local name=$1 log=$2; shift 2
  (
    start=$SECONDS
    if "$@" >"$log" 2>&1; then
      echo "$name: passed ($((SECONDS - start)) s)" >"$log.result"
    else
      code=$?
      if [[ $code -eq 5 ]]; then
        echo "$name: FAILED: no tests were collected" >"$log.result"
      else
        echo "$name: FAILED (exit $code)" >"$log.result"
      fi
    fi
  ) &
}

mkdir -p "$REPORTS/sqlite-data" "$REPORTS/pg-data"
HEARD_DATA_DIR="$REPORTS/sqlite-data" background_layer "tests on SQLite" "$REPORTS/sqlite.log" \
  "${PYTEST[@]}" -m "not browser" --junitxml="$REPORTS/sqlite.xml"
LAYERS=("$REPORTS/sqlite.log")

if PG_URL=$(bash scripts/pg-test-server.sh start); then
  # The committee PDF test lays out the demo council's whole report (minutes of CPU, and no
  # query of its own): it runs once, in the SQLite layer.
  HEARD_DATA_DIR="$REPORTS/pg-data" DATABASE_URL="$PG_URL" \
    background_layer "tests on PostgreSQL" "$REPORTS/postgresql.log" \
    "${PYTEST[@]}" -m "not browser" --deselect tests/reports/test_committee_pdf.py \
    --junitxml="$REPORTS/postgresql.xml"
  LAYERS+=("$REPORTS/postgresql.log")
else
  RESULTS+=("tests on PostgreSQL: SKIPPED (no PostgreSQL server could be started; run as root to install it)")
fi
wait
for log in "${LAYERS[@]}"; do
  echo
  echo "=== $(cut -d: -f1 "$log.result") ==="
  cat "$log"
  result=$(cat "$log.result")
  RESULTS+=("$result")
  [[ $result == *": passed "* ]] || FAILED=1
done
bash scripts/pg-test-server.sh stop >/dev/null 2>&1 || true


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
