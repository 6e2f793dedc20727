#!/usr/bin/env sh
# Installs Tryton 6.0 (server + sale module) from Debian packages, for the
# Tryton connector's tests. Idempotent: does nothing when trytond is already
# installed, so CI can run it on every build.
set -eu

if command -v trytond >/dev/null 2>&1 && command -v trytond-admin >/dev/null 2>&1 && [ -d /usr/lib/python3/dist-packages/trytond/modules/stock_package_shipping ]; then
  echo "tryton: already installed ($(command -v trytond))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi

echo "tryton: installing tryton-server, tryton-modules-sale and tryton-modules-stock-package-shipping from Debian packages"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends tryton-server tryton-modules-sale tryton-modules-stock-package-shipping
# The Debian package enables and starts a system trytond service; the tests
# start their own throwaway server on a free loopback port and do not need it.
echo "tryton: installed $(command -v trytond)"
