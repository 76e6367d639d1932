#!/usr/bin/env bash
# Runs `chatvault --help` from inside the image tarball's filesystem, without a container
# runtime: unpacks its layers in order into a directory and runs the image's entrypoint
# there with chroot as the image's user, in new mount and PID namespaces with a fresh /proc (as root).
#
#   ops/image/check.sh [target/chatvault-image.tar] [-- arguments, default --help]
set -euo pipefail
image="${1:-target/chatvault-image.tar}"
shift || true
[[ "${1:-}" == "--" ]] && shift
arguments=("$@")
[[ ${#arguments[@]} -eq 0 ]] && arguments=(--help)
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
python3 - "$image" "$root" > "$root.entrypoint" <<'PY'
import json, sys, tarfile, shlex
image, root = sys.argv[1], sys.argv[2]
with tarfile.open(image) as archive:
    manifest = json.load(archive.extractfile("manifest.json"))[0]
    config = json.load(archive.extractfile(manifest["Config"]))
    for name in manifest["Layers"]:
        with tarfile.open(fileobj=archive.extractfile(name)) as layer:
            for member in layer.getmembers():
                base = member.name.rsplit("/", 1)[-1]
                if base.startswith(".wh."):  # a whiteout: the lower layer's file is gone
                    continue
                layer.extract(member, root, set_attrs=True, numeric_owner=True)
settings = config["config"]
command = (settings.get("Entrypoint") or []) + (settings.get("Cmd") or [])
print(" ".join(shlex.quote(part) for part in ["env", "-i"] + settings.get("Env", []) + command))
print(settings.get("WorkingDir", "/"))
print(settings.get("User", "0:0"))
PY
entrypoint="$(sed -n 1p "$root.entrypoint")"
workdir="$(sed -n 2p "$root.entrypoint")"
user="$(sed -n 3p "$root.entrypoint")"
rm -f "$root.entrypoint"
mkdir -p "$root/proc" "$root/tmp" "$root$workdir"
chmod 1777 "$root/tmp"
quoted="$(printf ' %q' "${arguments[@]}")"
unshare --mount --pid --fork sh -c "mount -t proc proc '$root/proc' && exec chroot --userspec='$user' '$root' sh -c 'cd $workdir && exec $entrypoint$quoted'"
