#!/usr/bin/env bash
# Builds the real `argo` CLI from the Go module proxy, once per machine, and links it to
# .tools/bin/argo for the tests (which run `argo lint --offline` on every manifest we emit).
#
# Version: v4.1.2 is what we target, but the module proxy reachable here serves only v4.0.5
# of the v4 module (v4.1.x answers "not available"); we take the first version it serves.
# Why not `go install …/cmd/argo@VERSION`: the module embeds the UI (`//go:embed dist/app`),
# which is built by npm and not part of the module zip, so `go install` fails. We copy the
# module source into the cache, put a placeholder UI page there, and `go build` from it.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${POLYAXON_ARGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/polyaxon-argo/tools}
versions=${ARGO_VERSIONS:-"v4.1.2 v4.0.5"}
module=github.com/argoproj/argo-workflows/v4

link() {
  mkdir -p "$repo/.tools/bin"
  ln -sf "$1" "$repo/.tools/bin/argo"
}

for version in $versions; do
  binary="$cache/argo-$version/argo"
  if [ -x "$binary" ]; then
    link "$binary"
    echo "argo $version: reusing $binary"
    exit 0
  fi
done

command -v go >/dev/null || { echo "setup-argo: Go is needed to build the argo CLI (https://go.dev/dl/)" >&2; exit 1; }
export GOFLAGS=-mod=mod CGO_ENABLED=0
for version in $versions; do
  dir=$(go mod download -json "$module@$version" 2>/dev/null | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' || true)
  if [ -z "$dir" ]; then
    echo "argo $version: not served by the module proxy, trying the next version" >&2
    continue
  fi
  work="$cache/argo-$version.src"
  rm -rf "$work"
  mkdir -p "$cache"
  cp -r "$dir" "$work"
  chmod -R u+w "$work"
  mkdir -p "$work/ui/dist/app"
  echo '<!doctype html><title>Argo UI is not bundled in this build</title>' > "$work/ui/dist/app/index.html"
  echo "argo $version: building from the Go module proxy (a few minutes, once)..."
  start=$(date +%s)
  (cd "$work" && go build -trimpath -ldflags "-X $module.version=$version" -o "$cache/argo-$version/argo" ./cmd/argo)
  rm -rf "$work"
  link "$cache/argo-$version/argo"
  echo "argo $version: built in $(( $(date +%s) - start ))s into $cache/argo-$version/argo"
  exit 0
done
echo "setup-argo: none of $versions could be downloaded from the Go module proxy" >&2
exit 1
