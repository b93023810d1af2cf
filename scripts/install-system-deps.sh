#!/usr/bin/env bash
# Installs the Debian packages the full suite needs: a PostgreSQL server, Chromium for the
# browser tests, fonts, and Pango for PDF reports (WeasyPrint). Only root can install; anyone
# else is told what is missing, and scripts/test.sh reports the layers it then has to skip.
set -euo pipefail
# One package a line, so that changes to this list merge cleanly.
PACKAGES=(
  postgresql
  chromium
  fonts-liberation
  fonts-dejavu-core
  libpango-1.0-0
  libpangoft2-1.0-0
  dovecot-imapd
  openssl
)
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi
if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
  echo "Not installing ${missing[*]}: that needs root on Debian. The layers that need them will be skipped."
  exit 0
fi
echo "Installing ${missing[*]} from Debian ..."
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq || echo "apt-get update failed; trying with the package lists already here."
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a cluster of its own on install; the suite runs a private one instead.
