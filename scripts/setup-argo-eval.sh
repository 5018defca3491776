#!/usr/bin/env bash
# Builds argo-eval (test/support/argo-eval), the tests' helper that runs Argo's workflow-controller
# code and Kubernetes' kubelet expansion code on our strings, once per machine and per version of
# its source, and links it into .tools/bin.
#
# Its go.mod pins the Argo module version scripts/setup-argo.sh builds the argo CLI from; when that
# script ends up with another version, this one stops and says how to move argo-eval along.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${POLYAXON_ARGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/polyaxon-argo/tools}
src="$repo/test/support/argo-eval"
module=github.com/argoproj/argo-workflows/v4

# The cache key: every file of the Go source (names and contents), so any change rebuilds.
key=$(cd "$src" && find . -type f \( -name '*.go' -o -name go.mod -o -name go.sum \) | LC_ALL=C sort |
  while read -r file; do printf '%s\n' "$file"; cat "$file"; done | sha256sum | cut -c1-16)
out="$cache/argo-eval-$key/argo-eval"

link() {
  mkdir -p "$repo/.tools/bin"
  ln -sf "$out" "$repo/.tools/bin/argo-eval"
}

# One build at a time per cache: the unit and end-to-end global setups may start together.
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

pinned=$(sed -n "s|^[[:space:]]*$module \(v[^ ]*\).*|\1|p" "$src/go.mod" | head -n1)
# The argo CLI the tests use, if setup-argo.sh has linked one: .tools/bin/argo -> …/argo-VERSION/argo
built=$(readlink "$repo/.tools/bin/argo" 2>/dev/null | sed -n 's|.*/argo-\(v[^/]*\)/argo$|\1|p' || true)
if [ -n "$built" ] && [ "$built" != "$pinned" ]; then
  echo "setup-argo-eval: the argo CLI is $built but test/support/argo-eval pins $module $pinned;" >&2
  echo "  run: (cd test/support/argo-eval && go get $module@$built && go mod tidy)" >&2
  exit 1
fi

if [ -x "$out" ]; then
  link
  echo "argo-eval ($module $pinned): reusing $out"
  exit 0
fi

command -v go >/dev/null || { echo "setup-argo-eval: Go is needed to build argo-eval (https://go.dev/dl/)" >&2; exit 1; }
export CGO_ENABLED=0 GOFLAGS="-mod=readonly -buildvcs=false"

# argo-eval links the controller's unexported shouldExecute by name, and the linker does not compare
# signatures: make sure this Argo version still has it, exactly as argo-eval declares it.
dir=$(cd "$src" && go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if ! grep -qx 'func shouldExecute(when string) (bool, error) {' "$dir/workflow/controller/steps.go"; then
  echo "setup-argo-eval: $module $pinned has no 'func shouldExecute(when string) (bool, error)' in" >&2
  echo "  workflow/controller/steps.go: update the go:linkname declaration in test/support/argo-eval/when.go" >&2
  exit 1
fi

echo "argo-eval ($module $pinned): building (a minute or more, once per change of its source)..."
start=$(date +%s)
mkdir -p "$(dirname "$out")"
(cd "$src" && go build -trimpath -ldflags "-s -w" -o "$out.partial" .)
mv "$out.partial" "$out"
# Keep the three newest builds, so switching between branches does not rebuild every time.
find "$cache" -maxdepth 1 -type d -name 'argo-eval-*' -printf '%T@ %p\n' | sort -rn | tail -n +4 | cut -d' ' -f2- |
  while read -r old; do rm -rf "$old"; done
link
echo "argo-eval: built in $(( $(date +%s) - start ))s"
