#!/usr/bin/env bash
# Generates Python stubs for proto/ into build/python (Debian's protoc and
# grpc_python_plugin; no pip needed). Use with /usr/bin/python3 and python3-grpcio.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/build/python"
mkdir -p "$out"
protoc -I"$root/proto" --python_out="$out" --grpc_out="$out" \
  --plugin=protoc-gen-grpc="$(command -v grpc_python_plugin)" \
  $(cd "$root/proto" && find lms google -name '*.proto')
echo "$out"
