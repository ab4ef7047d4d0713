#!/usr/bin/env bash
# Builds NVIDIA's nvidia-cdi-hook (the program the CDI specs' hooks run, at the nvidia-container-toolkit version
# go.mod pins) and cdi-inject (cdi-inject/main.go: the CNCF CDI library containerd and podman apply specs with) into
# a cache outside the work tree, keyed by that version and a hash of the sources, and skips the build when both are
# there. Prints the directory as the last line of stdout. The Dockerfiles build nvidia-cdi-hook the same way.
#
# DRA_TOOLS_CACHE moves the cache (default ~/.cache/nvidia-dra-driver/tools).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v go >/dev/null; then
  echo "go is not on PATH: nvidia-cdi-hook and cdi-inject are built from Go modules (Go 1.26+; the README says how)" >&2
  exit 2
fi

toolkit_version="$(sed -n 's|^[[:space:]]*\(require \)\{0,1\}github.com/NVIDIA/nvidia-container-toolkit \(v[^ ]*\).*|\2|p' "$here/go.mod" | head -1)"
sources="$(cat "$here/go.mod" "$here/go.sum" "$here/cdi-inject/main.go" "$here/build.sh" | sha256sum | cut -c1-12)"
cache="${DRA_TOOLS_CACHE:-$HOME/.cache/nvidia-dra-driver/tools}"
dir="$cache/cdi-hook/$toolkit_version-$sources"
mkdir -p "$dir"

# -trimpath and stripped symbols: smaller binaries, no local paths in them. No -mod=mod: the committed go.sum must
# already hold every hash (a missing one fails the build, which is what pinning means).
# nvidia-cdi-hook needs cgo (go-nvml's dlopen is C), so CGO_ENABLED=0 cannot build it; it is linked statically
# instead, because it runs on the host, whose C library may be older than the one it was built against. The hooks
# the specs use never dlopen, so glibc's warning about dlopen in static programs does not apply to them.
if [[ ! -x "$dir/nvidia-cdi-hook" ]]; then
  echo "building nvidia-cdi-hook $toolkit_version into $dir" >&2
  (cd "$here" && CGO_ENABLED=1 go build -buildvcs=false -trimpath -ldflags='-s -w -linkmode=external -extldflags=-static' \
    -o "$dir/nvidia-cdi-hook.partial" github.com/NVIDIA/nvidia-container-toolkit/cmd/nvidia-cdi-hook) 2> >(grep -v -e 'deprecated' -e 'cgo-gcc-prolog' -e 'nvml.h' -e '^ *[0-9]* | ' -e '^ *| ' -e 'statically linked applications' -e 'in function' >&2)
  mv "$dir/nvidia-cdi-hook.partial" "$dir/nvidia-cdi-hook"
fi
if [[ ! -x "$dir/cdi-inject" ]]; then
  echo "building cdi-inject into $dir" >&2
  (cd "$here" && CGO_ENABLED=0 go build -buildvcs=false -trimpath -ldflags='-s -w' -o "$dir/cdi-inject.partial" ./cdi-inject)
  mv "$dir/cdi-inject.partial" "$dir/cdi-inject"
fi
echo "$dir"
