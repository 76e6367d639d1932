#!/usr/bin/env bash
# Builds the base image of the ChatVault container without a Docker daemon or a registry:
# a Debian bookworm root filesystem from Debian's packages (debootstrap, minbase variant,
# plus CA certificates and time zone data) and a Java runtime jlink'ed from the JDK that
# builds ChatVault (Debian's openjdk-17), packed as a `docker save` tarball that Jib
# reads as `tar://` base (pom.xml, profile image).
#
#   ops/image/build-base.sh [target/image]      (as root: debootstrap and chroot need it)
#
# Output: target/image/base.tar. The root filesystem is kept in target/image/rootfs and
# reused by the next build (delete it to start afresh).
set -euo pipefail
out="${1:-target/image}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
rootfs="$out/rootfs"

if [[ ! -x "$rootfs/bin/bash" ]]; then
	command -v debootstrap > /dev/null || { echo "build-base: apt-get install debootstrap" >&2; exit 1; }
	rm -rf "$rootfs"
	debootstrap --variant=minbase --include=ca-certificates,tzdata bookworm "$rootfs" "$mirror"
	rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
fi

# The modules ChatVault uses (jdeps on the boot jar is unreliable with Spring's optional
# dependencies, so the list is explicit), plus jdk.crypto.ec for TLS and jdk.zipfs.
java_home="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
rm -rf "$rootfs/opt/java"
"$java_home/bin/jlink" --output "$rootfs/opt/java" --strip-debug --no-header-files --no-man-pages \
	--add-modules java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.transaction.xa,java.xml,jdk.crypto.cryptoki,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs,jdk.localedata
ln -sf /opt/java/bin/java "$rootfs/usr/local/bin/java"
# A user to run as (uid 1000), with a home for CHATVAULT_HOME.
if ! grep -q '^chatvault:' "$rootfs/etc/passwd"; then
	echo 'chatvault:x:1000:1000:ChatVault:/var/lib/chatvault:/usr/sbin/nologin' >> "$rootfs/etc/passwd"
	echo 'chatvault:x:1000:' >> "$rootfs/etc/group"
fi
mkdir -p "$rootfs/var/lib/chatvault"
chown 1000:1000 "$rootfs/var/lib/chatvault"

# One layer, in `docker save` form: manifest.json, the image config, the layer.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar --numeric-owner --xattrs -C "$rootfs" -cf "$work/layer.tar" .
python3 - "$work" <<'PY'
import hashlib, json, sys, os
work = sys.argv[1]
digest = hashlib.sha256()
with open(os.path.join(work, "layer.tar"), "rb") as layer:
    for block in iter(lambda: layer.read(1 << 20), b""):
        digest.update(block)
config = {
    "architecture": "amd64",
    "os": "linux",
    "config": {
        "Env": ["PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "JAVA_HOME=/opt/java", "LANG=C.UTF-8"],
        "User": "1000:1000",
        "WorkingDir": "/var/lib/chatvault",
    },
    "rootfs": {"type": "layers", "diff_ids": ["sha256:" + digest.hexdigest()]},
    "history": [{"created_by": "ops/image/build-base.sh: debootstrap bookworm minbase + jlink"}],
}
with open(os.path.join(work, "config.json"), "w") as out:
    json.dump(config, out)
with open(os.path.join(work, "manifest.json"), "w") as out:
    json.dump([{"Config": "config.json", "RepoTags": ["chatvault-base:bookworm"], "Layers": ["layer.tar"]}], out)
PY
tar -C "$work" -cf "$out/base.tar" manifest.json config.json layer.tar
ls -la "$out/base.tar"
