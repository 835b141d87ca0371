#!/usr/bin/env bash
# Installs the Debian 12 packages the project builds, tests and runs with.
# Fast when nothing is missing: it asks dpkg first and calls apt only for what is absent.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git clang-format
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler libabsl-dev
  libmysqlcppconn-dev mariadb-server mariadb-client
  libgtest-dev libgmock-dev
  libsodium-dev libssl-dev libspdlog-dev libutf8proc-dev
  libcli11-dev nlohmann-json3-dev libzip-dev libpugixml-dev libxlsxwriter-dev libsqlite3-dev
  python3 python3-grpcio python3-protobuf
  procps openssl
  chromium fonts-wqy-microhei
)

missing=()
for p in "${PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
# Never let a package's maintainer script start a system database service: we run our own.
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
