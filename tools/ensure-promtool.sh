#!/usr/bin/env bash
# The metrics and alert-rule tests check our output with the real promtool (Debian's prometheus package).
# Installs it when missing and the machine can (root or sudo, apt-get); otherwise says how and fails.
set -euo pipefail
if command -v promtool >/dev/null 2>&1; then
  exit 0
fi
install() {
  DEBIAN_FRONTEND=noninteractive "$@" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "$@" apt-get install -y -qq --no-install-recommends prometheus
}
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    install
  elif command -v sudo >/dev/null 2>&1; then
    install sudo
  fi
fi
if ! command -v promtool >/dev/null 2>&1; then
  echo "promtool is missing: install Prometheus (Debian/Ubuntu: apt-get install prometheus) so the metrics tests can run" >&2
  exit 1
fi
