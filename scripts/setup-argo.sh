#!/usr/bin/env bash
# Builds Argo's own binaries from the Go module proxy, once per machine, and links them into
# .tools/bin. Usage: setup-argo.sh [argo] [workflow-controller] [argoexec]   (default: argo)
#   argo                 the CLI; unit tests run `argo lint --offline` on every manifest we emit
#   workflow-controller  the controller the end-to-end suite runs; Argo's full CRDs (with
#                        schemas) from the same module version are copied to .tools/argo-crds
#   argoexec             the executor the controller puts in every pod (scripts/setup-node.sh
#                        makes its image); stripped, since each pod copies it
#
# Version: v4.1.2 is what we target, but the module proxy reachable here serves only v4.0.5
# of the v4 module (v4.1.x answers "not available"); we take the first version it serves.
# Why not `go install …/cmd/argo@VERSION`: the module embeds the UI (`//go:embed dist/app`),
# which is built by npm and not part of the module zip, and its go.mod has replace lines,
# so `go install` refuses it. We copy the module source into the cache, put a placeholder UI
# page there, and `go build` from it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${POLYAXON_ARGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/polyaxon-argo/tools}
versions=${ARGO_VERSIONS:-"v4.1.2 v4.0.5"}
module=github.com/argoproj/argo-workflows/v4
binaries=${*:-argo}

# One build at a time per cache: the unit and end-to-end global setups may start together.
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

link() { # link VERSION: every wanted binary of that version, and its CRDs
  mkdir -p "$repo/.tools/bin"
  for binary in $binaries; do
    ln -sf "$cache/argo-$1/$binary" "$repo/.tools/bin/$binary"
  done
  if [ -d "$cache/argo-$1/crds" ]; then
    rm -rf "$repo/.tools/argo-crds"
    ln -sfn "$cache/argo-$1/crds" "$repo/.tools/argo-crds"
  fi
}

built() { # built VERSION: are all wanted binaries in the cache?
  for binary in $binaries; do
    [ -x "$cache/argo-$1/$binary" ] || return 1
  done
}

for version in $versions; do
  if built "$version"; then
    link "$version"
    echo "argo $version: reusing $binaries from $cache/argo-$version"
    exit 0
  fi
done

command -v go >/dev/null || { echo "setup-argo: Go is needed to build Argo (https://go.dev/dl/)" >&2; exit 1; }
export GOFLAGS=-mod=mod CGO_ENABLED=0
for version in $versions; do
  dir=$(go mod download -json "$module@$version" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' || true)
  if [ -z "$dir" ]; then
    echo "argo $version: not served by the module proxy, trying the next version" >&2
    continue
  fi
  work="$cache/argo-$version.src"
  rm -rf "$work"
  mkdir -p "$cache/argo-$version"
  cp -r "$dir" "$work"
  chmod -R u+w "$work"
  mkdir -p "$work/ui/dist/app"
  echo '<!doctype html><title>Argo UI is not bundled in this build</title>' > "$work/ui/dist/app/index.html"
  # Module zips leave out symbolic links: the repository's signal_linux.go is one, to signal_darwin.go.
  osspecific="$work/workflow/executor/osspecific"
  [ -e "$osspecific/signal_linux.go" ] || cp "$osspecific/signal_darwin.go" "$osspecific/signal_linux.go"
  for binary in $binaries; do
    [ -x "$cache/argo-$version/$binary" ] && continue
    echo "argo $version: building $binary from the Go module proxy (a few minutes, once)..."
    start=$(date +%s)
    strip=""
    [ "$binary" = argoexec ] && strip="-s -w"
    (cd "$work" && go build -trimpath -ldflags "$strip -X $module.version=$version" -o "$cache/argo-$version/$binary" "./cmd/$binary")
    echo "argo $version: built $binary in $(( $(date +%s) - start ))s"
  done
  rm -rf "$cache/argo-$version/crds"
  cp -r "$work/manifests/base/crds/full" "$cache/argo-$version/crds"
  rm -rf "$work"
  link "$version"
  exit 0
done
echo "setup-argo: none of $versions could be downloaded from the Go module proxy" >&2
exit 1
