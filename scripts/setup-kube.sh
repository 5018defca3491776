#!/usr/bin/env bash
# Builds Kubernetes components from the Go module proxy, once per machine, and links the
# binaries into .tools/bin for the end-to-end suite.
# Usage: setup-kube.sh [COMPONENT…]   (default: etcd kube-apiserver)
#   etcd, kube-apiserver          the control plane
#   kubelet, kube-scheduler       the node (scripts/setup-node.sh asks for them)
#
# kube-apiserver, kubelet, kube-scheduler: the module k8s.io/kubernetes requires its staging modules (k8s.io/api,
# k8s.io/client-go, …) at v0.0.0 and finds them through replace lines pointing into its own
# source tree, which a dependency cannot use. We build it from a throwaway module that maps
# each staging module to its published v0.X.Y, under the cache folder (never in the repo).
# etcd: the server module is built the same way (its own go.mod has local replace lines too).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${POLYAXON_ARGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/polyaxon-argo/tools}
kube_version=${KUBE_VERSION:-v1.33.13} # the client-go minor Argo v4.0 is built against
etcd_version=${ETCD_VERSION:-v3.5.21}  # the etcd that Kubernetes v1.33 ships with
components=${*:-etcd kube-apiserver}
export GOFLAGS=-mod=mod CGO_ENABLED=0

# One build at a time per cache: the unit and end-to-end global setups may start together.
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

link() { # link NAME PATH
  mkdir -p "$repo/.tools/bin"
  ln -sf "$2" "$repo/.tools/bin/$1"
}

# build NAME VERSION PACKAGE LDFLAGS [go.mod lines…]: go build PACKAGE from a throwaway module.
build() {
  local name=$1 version=$2 package=$3 ldflags=$4
  shift 4
  local out="$cache/$name-$version/$name"
  if [ -x "$out" ]; then
    link "$name" "$out"
    echo "$name $version: reusing $out"
    return
  fi
  command -v go >/dev/null || { echo "setup-kube: Go is needed to build $name (https://go.dev/dl/)" >&2; exit 1; }
  local work="$cache/$name-$version.mod"
  rm -rf "$work"
  mkdir -p "$work"
  printf 'module polyaxon-argo/tools/%s\n\ngo 1.24\n' "$name" > "$work/go.mod"
  printf '%s\n' "$@" >> "$work/go.mod"
  # A tools file makes `go mod tidy` resolve the main package's whole import graph.
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s"\n' "$package" > "$work/tools.go"
  echo "$name $version: building from the Go module proxy (a few minutes, once)..."
  local start
  start=$(date +%s)
  (cd "$work" && go mod tidy && go build -trimpath -ldflags "$ldflags" -o "$out" "$package")
  rm -rf "$work"
  link "$name" "$out"
  echo "$name $version: built in $(( $(date +%s) - start ))s"
}

wants() { [[ " $components " == *" $1 "* ]]; }

if wants etcd; then
  build etcd "$etcd_version" go.etcd.io/etcd/server/v3 "" \
    "require go.etcd.io/etcd/server/v3 $etcd_version"
fi

# The staging modules, read from the kubernetes go.mod itself so a version bump needs no edit.
staging_version="v0.${kube_version#v1.}"
replaces=()
for name in kube-apiserver kubelet kube-scheduler; do
  if wants "$name" && [ ! -x "$cache/$name-$kube_version/$name" ] && [ ${#replaces[@]} -eq 0 ]; then
    command -v go >/dev/null || { echo "setup-kube: Go is needed to build $name (https://go.dev/dl/)" >&2; exit 1; }
    kube_mod=$(go mod download -json "k8s.io/kubernetes@$kube_version" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')
    for staging in $(sed -n 's/^[[:space:]]*\(k8s\.io\/[a-z0-9-]*\) => \.\/staging\/.*/\1/p' "$kube_mod"); do
      replaces+=("replace $staging => $staging $staging_version")
    done
  fi
done
minor=${kube_version#v1.}; minor=${minor%%.*}
version_pkg=k8s.io/component-base/version
for name in kube-apiserver kubelet kube-scheduler; do
  wants "$name" || continue
  build "$name" "$kube_version" "k8s.io/kubernetes/cmd/$name" \
    "-X $version_pkg.gitVersion=$kube_version -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=$minor -X $version_pkg.gitTreeState=clean" \
    "require k8s.io/kubernetes $kube_version" "${replaces[@]}"
done
