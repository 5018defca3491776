#!/usr/bin/env bash
# Builds what the end-to-end suite's node needs, once per machine, cached like the control plane:
#   - containerd, runc, the CNI plugins and busybox from Debian's packages (apt-get, when missing);
#   - kubelet and kube-scheduler (scripts/setup-kube.sh) and Argo's argoexec (scripts/setup-argo.sh,
#     the same Argo version as the workflow-controller);
#   - the root filesystems (layer tarballs) of the images pods run, in .tools/e2e-images:
#       pause.tar     the pod sandbox (test/e2e/images/pause)
#       argoexec.tar  Argo's executor: its init and wait containers, and the emissary it copies
#       standin.tar   every image a pipeline names: the stand-in (test/e2e/images/standin) under
#                     each program name, with busybox and git as the real programs it can run
#     The suite wraps each into an OCI image (test/e2e/support/images.ts) and imports it under
#     the names pods use, since no registry is reachable.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cache=${POLYAXON_ARGO_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/polyaxon-argo/tools}

# Debian packages, installed only when missing (CI machines start without them).
missing=()
command -v containerd >/dev/null || missing+=(containerd)
command -v runc >/dev/null || missing+=(runc)
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
[ -x /bin/busybox ] || missing+=(busybox-static)
command -v git >/dev/null && [ -x /usr/lib/git-core/git-daemon ] || missing+=(git)
command -v ip >/dev/null || missing+=(iproute2)
command -v nsenter >/dev/null || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-node: installing ${missing[*]} with apt-get..."
  [ "$(id -u)" = 0 ] || { echo "setup-node: installing packages needs root" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash "$repo/scripts/setup-kube.sh" kubelet kube-scheduler
bash "$repo/scripts/setup-argo.sh" argoexec

mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

# The layers depend on the image programs' source, this script, the Debian packages and argoexec.
argoexec=$(readlink -f "$repo/.tools/bin/argoexec")
key=$(
  {
    cat "$0"
    find "$repo/test/e2e/images" -type f | sort | xargs cat
    dpkg-query -W -f='${Package} ${Version}\n' busybox-static git libc6 zlib1g libpcre2-8-0
    echo "$argoexec"
  } | sha256sum | cut -c1-16
)
out="$cache/e2e-images-$key"
if [ -f "$out/standin.tar" ]; then
  ln -sfn "$out" "$repo/.tools/e2e-images"
  echo "e2e images: reusing $out"
  exit 0
fi

command -v go >/dev/null || { echo "setup-node: Go is needed to build the image programs (https://go.dev/dl/)" >&2; exit 1; }
echo "e2e images: building the pause, argoexec and stand-in layers..."
start=$(date +%s)
work=$(mktemp -d "$cache/e2e-images.XXXXXX")
trap 'rm -rf "$work"' EXIT
(cd "$repo/test/e2e/images" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -ldflags '-s -w' -o "$work/bin/" ./pause ./standin)

layer() { # layer NAME: tar the root filesystem $work/NAME into $work/out/NAME.tar, reproducibly
  mkdir -p "$work/out"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -C "$work/$1" -cf "$work/out/$1.tar" .
}

mkdir -p "$work/pause"
cp "$work/bin/pause" "$work/pause/pause"
layer pause

mkdir -p "$work/argoexec/bin" "$work/argoexec/tmp"
chmod 1777 "$work/argoexec/tmp"
cp "$argoexec" "$work/argoexec/bin/argoexec"
layer argoexec

root="$work/standin"
mkdir -p "$root/usr/local/bin" "$root/opt/real/bin" "$root/usr/lib/git-core" "$root/bin" "$root/tmp" "$root/etc"
chmod 1777 "$root/tmp"
cp "$work/bin/standin" "$root/usr/local/bin/standin"
# The real programs: busybox's applets and git (with the libraries it links), outside PATH.
cp /bin/busybox "$root/opt/real/bin/busybox"
cp /usr/lib/git-core/git "$root/usr/lib/git-core/git"
ln -s ../../../usr/lib/git-core/git "$root/opt/real/bin/git"
for lib in $(ldd /usr/lib/git-core/git | grep -o '/[^ ]*'); do
  mkdir -p "$root$(dirname "$lib")"
  cp -L "$lib" "$root$lib"
done
# Each program name on PATH is the stand-in; /bin/sh too, for whatever runs it by path.
for applet in $(/bin/busybox --list) git; do
  [ "$applet" = busybox ] && continue
  [ -e "$root/opt/real/bin/$applet" ] || ln -s busybox "$root/opt/real/bin/$applet"
  ln -s standin "$root/usr/local/bin/$applet"
done
ln -s ../usr/local/bin/standin "$root/bin/sh"
printf 'root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000:user:/tmp:/bin/sh\n' > "$root/etc/passwd"
printf 'root:x:0:\nuser:x:1000:\n' > "$root/etc/group"
layer standin

rm -rf "$out"
mv "$work/out" "$out"
ln -sfn "$out" "$repo/.tools/e2e-images"
echo "e2e images: built in $(($(date +%s) - start))s"
