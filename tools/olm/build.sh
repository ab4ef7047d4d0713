#!/usr/bin/env bash
# Builds olm-bundle-validate (main.go beside this script: operator-framework's bundle validators at the versions
# go.mod pins) into a cache outside the work tree, keyed by those versions and a hash of the sources, and skips the
# build when the binary is already there. Prints the binary's path as the last line of stdout.
#
# DRA_TOOLS_CACHE moves the cache (default ~/.cache/nvidia-dra-driver/tools).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v go >/dev/null; then
  echo "go is not on PATH: the OLM bundle validator is built from Go modules (Go 1.26+; the README says how)" >&2
  exit 2
fi

module_version() { # the version go.mod requires for module $1
  sed -n "s|^[[:space:]]*\(require \)\{0,1\}$1 \(v[^ ]*\).*|\2|p" "$here/go.mod" | head -1
}
api_version="$(module_version github.com/operator-framework/api)"
registry_version="$(module_version github.com/operator-framework/operator-registry)"
# main.go is ours, so the versions alone do not name the binary: a change to it or to go.sum must rebuild.
sources="$(cat "$here/go.mod" "$here/go.sum" "$here/main.go" | sha256sum | cut -c1-12)"
cache="${DRA_TOOLS_CACHE:-$HOME/.cache/nvidia-dra-driver/tools}"
dir="$cache/olm/api-$api_version-registry-$registry_version-$sources"
bin="$dir/olm-bundle-validate"

if [[ ! -x "$bin" ]]; then
  mkdir -p "$dir"
  echo "building olm-bundle-validate into $dir" >&2
  # -trimpath and stripped symbols: smaller binary, no local paths in it. No -mod=mod: the committed go.sum must
  # already hold every hash (a missing one fails the build, which is what pinning means).
  (cd "$here" && go build -buildvcs=false -trimpath -ldflags='-s -w' -o "$bin.partial" .)
  mv "$bin.partial" "$bin"
fi
echo "$bin"
