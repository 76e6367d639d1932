#!/usr/bin/env bash
# Extracts chatvault.jar into a directory of plain jars and records a class-data sharing
# (CDS) archive of the classes `chatvault jobs --catalog` loads, which is most of what
# every command loads (Spring Boot's lazy context, picocli, the command classes). Used by the ./chatvault
# launcher and by the image build (docs/image.md).
#
#   ops/image/cds-archive.sh target/chatvault.jar target/chatvault-app [java]
#
# The archive is tied to the JVM that wrote it and to these exact jars: rebuild it with
# them, as both callers do. A JVM that cannot use it ignores it and starts as usual.
set -euo pipefail
jar="$1"
app="$2"
java="${3:-java}"
rm -rf "$app"
mkdir -p "$app"
app="$(cd "$app" && pwd)"
jar="$(cd "$(dirname "$jar")" && pwd)/$(basename "$jar")"
"$java" -Djarmode=tools -jar "$jar" extract --destination "$app" > /dev/null
# A training run in an empty home that touches no database but starts the whole (lazy)
# Spring context and the command tree (--help alone no longer starts Spring).
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
(cd "$home" && "$java" -XX:ArchiveClassesAtExit="$app/chatvault.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off \
	-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Dchatvault.home="$home" -jar "$app/chatvault.jar" jobs --catalog > /dev/null)
test -f "$app/chatvault.jsa"
