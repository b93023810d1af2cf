#!/usr/bin/env bash
# Compile GOV.UK Frontend once, with Arial, into heard/core/static/heard/. The output is
# committed, so running or testing Heard needs neither npm nor Sass.
set -euo pipefail
cd "$(dirname "$0")"
OUT=../heard/core/static/heard
npm ci --no-audit --no-fund
mkdir -p "$OUT"
npx sass --no-source-map --style=compressed --load-path=node_modules \
  --quiet-deps --silence-deprecation=import --silence-deprecation=global-builtin \
  scss/heard.scss "$OUT/heard.css"
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js "$OUT/govuk-frontend.min.js"
cat > "$OUT/init.js" <<'JS'
import { initAll } from "./govuk-frontend.min.js";

initAll();
JS
echo "Built $(du -h "$OUT/heard.css" | cut -f1) of CSS into $OUT"
