#!/usr/bin/env bash
# Installs the system packages the test suites drive for real: the AWS CLI (compatibility tests)
# and Chromium (browser tests). Debian packages only; a no-op when they are already there.
set -euo pipefail
missing=()
[ -x /usr/bin/aws ] || missing+=(awscli)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
