#!/usr/bin/env bash
# Builds the real Kubernetes control plane the tests run (kube-apiserver, kube-scheduler, kube-controller-manager,
# kubectl and etcd) from the pinned Go modules beside this script, into a cache outside the work tree keyed by
# version, and skips whatever is already there. Prints the binary directory as the last line of stdout.
#
#   tools/k8s/build.sh [MINOR]     MINOR: 1.34 (default) or another folder tools/k8s/v<MINOR> holds
#
# DRA_TOOLS_CACHE moves the cache (default ~/.cache/nvidia-dra-driver/tools).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
minor="${1:-1.34}"
module="$here/v$minor"
if [[ ! -f "$module/go.mod" ]]; then
  echo "no pinned Kubernetes $minor: $module/go.mod is missing (releases here: $(cd "$here" && ls -d v1.* | tr '\n' ' '))" >&2
  exit 2
fi
if ! command -v go >/dev/null; then
  echo "go is not on PATH: the real control plane is built from Go modules (Go 1.24+; the README says how)" >&2
  exit 2
fi

module_version() { # the version go.mod requires for module $2, read from folder $1
  sed -n "s|^[[:space:]]*\(require \)\{0,1\}$2 \(v[^ ]*\).*|\2|p" "$1/go.mod" | head -1
}
k8s_version="$(module_version "$module" k8s.io/kubernetes)"
etcd_version="$(module_version "$here/etcd" go.etcd.io/etcd/server/v3)"
cache="${DRA_TOOLS_CACHE:-$HOME/.cache/nvidia-dra-driver/tools}"
bin="$cache/k8s/$k8s_version-etcd-$etcd_version"
mkdir -p "$bin"

# -trimpath and stripped symbols: smaller binaries, no local paths in them. GOFLAGS=-mod=mod would rewrite go.sum;
# the committed go.sum must already hold every hash (a missing one fails the build, which is what pinning means).
build() { # folder, output name, package
  local dir="$1" name="$2" pkg="$3"
  if [[ -x "$bin/$name" ]]; then
    return
  fi
  echo "building $name ($pkg) into $bin" >&2
  (cd "$dir" && go build -buildvcs=false -trimpath -ldflags='-s -w' -o "$bin/$name.partial" "$pkg")
  mv "$bin/$name.partial" "$bin/$name"
}
for cmd in kube-apiserver kube-scheduler kube-controller-manager kubectl; do
  build "$module" "$cmd" "k8s.io/kubernetes/cmd/$cmd"
done
build "$here/etcd" etcd go.etcd.io/etcd/server/v3

echo "$bin"
