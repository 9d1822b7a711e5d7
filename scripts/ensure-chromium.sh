#!/bin/sh
# Makes sure /usr/bin/chromium exists for the browser tests (test/facilitators/guidance-browser.test.ts).
# Installs Debian's chromium only when it is missing and we can (root); otherwise says what to do and
# leaves the rest to the browser test, which fails with a clear message when the browser is absent.
set -eu

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: $CHROMIUM is missing; install it with: sudo apt-get install -y chromium" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
  exit 0
fi

echo "ensure-chromium: installing chromium (apt-get)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update
apt-get -qq install -y chromium >/dev/null
