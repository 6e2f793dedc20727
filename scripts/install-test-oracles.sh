#!/usr/bin/env bash
# Debian packages that some tests use as real oracles: Tryton (a real ERP for
# the Tryton connector's tests) and Chromium (browser tests of the merchant
# pages). Idempotent. Without root or apt, it says what is missing and the
# tests that need it print that they skipped and why.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v trytond >/dev/null 2>&1 || missing+=("tryton-server tryton-modules-sale")
# Packages with the carrier's tracking reference (the shipment flow reads them).
[ -d /usr/lib/python3/dist-packages/trytond/modules/stock_package_shipping ] || missing+=("tryton-modules-stock-package-shipping")
command -v chromium >/dev/null 2>&1 || missing+=("chromium")

if [ ${#missing[@]} -eq 0 ]; then
  echo "test oracles: Tryton and Chromium already installed"
  exit 0
fi

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "test oracles: not installed (need root and apt-get): ${missing[*]}"
  echo "test oracles: the Tryton connector and browser tests will skip and say so"
  exit 0
fi

echo "test oracles: installing ${missing[*]} from Debian packages"
apt-get update -qq
# shellcheck disable=SC2068
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[@]} >/dev/null
echo "test oracles: installed"
