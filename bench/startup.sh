#!/usr/bin/env bash
# Start-up cost of three commands, as whole processes: CPU seconds (user + sys, every
# thread: JIT, GC, Spring) and wall seconds, median of N runs each, with /usr/bin/time.
#
#   bench/startup.sh <label> <runs> <java command...>
#
# e.g.  bench/startup.sh before 5 java -jar /tmp/before/chatvault.jar
#       bench/startup.sh after 5 ./chatvault
# `status` runs on the embedded default in a fresh CHATVAULT_HOME, after one untimed run
# that creates and migrates the embedded PostgreSQL.
set -euo pipefail
label="$1"; runs="$2"; shift 2
command=("$@")
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
small="$root/samples/exports/alice/WhatsApp Chat with Ravi Patel.txt"
[[ -f "$small" ]] || small="$(find "$root/samples" -name '*.txt' | head -1)"
export CHATVAULT_HOME="$work/home"
"${command[@]}" status > /dev/null 2>&1 || true
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'; }
measure() {
	local name="$1"; shift
	: > "$work/runs"
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%U %S %e" -o "$work/time" "${command[@]}" "$@" > /dev/null 2>> "$work/stderr" || true
		awk '{ printf "%.2f %.2f\n", $1 + $2, $3 }' "$work/time" >> "$work/runs"
	done
	printf "%-8s %-28s cpu %5s s   wall %5s s   (median of %d)\n" "$label" "$name" \
		"$(cut -d' ' -f1 "$work/runs" | median)" "$(cut -d' ' -f2 "$work/runs" | median)" "$runs"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
measure "--help" --help
measure "inspect (26 lines)" inspect "$small"
measure "status (embedded default)" status
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
