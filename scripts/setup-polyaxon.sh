#!/usr/bin/env bash
# Installs the published `polyaxon` package (the judge the differential tests and the bench ask)
# into a virtual environment, once per machine, and links it as .tools/polyaxon.
#   .tools/polyaxon/bin/python   Python with polyaxon importable (test/support/polyaxon-judge/judge.py)
#
# The version and every dependency are pinned in scripts/polyaxon-requirements.txt, so CI and
# every machine judge with the same code. The environment is rebuilt when that file changes.
# Needs python3 with the venv module and access to PyPI on the first run (about a minute).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${POLYAXON_ARGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/polyaxon-argo/tools}
requirements="$repo/scripts/polyaxon-requirements.txt"
version=$(sed -n 's/^polyaxon==\(.*\)$/\1/p' "$requirements")
[ -n "$version" ] || { echo "setup-polyaxon: no polyaxon==VERSION line in $requirements" >&2; exit 1; }
venv="$cache/polyaxon-$version"

# One install at a time per cache (its own lock: it need not wait for a Go build of setup-argo.sh).
mkdir -p "$cache"
exec 9>"$cache/.lock-polyaxon"
flock 9

link() {
  mkdir -p "$repo/.tools"
  ln -sfn "$venv" "$repo/.tools/polyaxon"
}

if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$venv/.requirements"; then
  link
  echo "polyaxon $version: reusing $venv"
  exit 0
fi

python=${PYTHON:-python3}
command -v "$python" >/dev/null || { echo "setup-polyaxon: python3 is needed (with its venv module)" >&2; exit 1; }
echo "polyaxon $version: installing from PyPI into $venv (about a minute, once)..."
start=$(date +%s)
work="$venv.tmp"
rm -rf "$work" "$venv"
"$python" -m venv "$work"
"$work/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$requirements"
# The folder is renamed below; scripts pip wrote name the temporary path, so call python directly.
"$work/bin/python" -c "import polyaxon.pkg as p; assert p.VERSION == '$version', p.VERSION"
cp "$requirements" "$work/.requirements"
mv "$work" "$venv"
link
echo "polyaxon $version: installed in $(($(date +%s) - start))s"
