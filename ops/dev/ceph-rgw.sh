#!/usr/bin/env bash
# A throw-away single-node Ceph with the RADOS Gateway (S3) on 127.0.0.1, for the
# integration tests and benchmarks of the S3 object store. Not for production: one
# monitor, one in-memory OSD (memstore, data is gone when it stops), no authentication
# between the daemons, pools of size 1.
#
#   ops/dev/ceph-rgw.sh start    install Ceph from Debian's packages if missing, start it,
#                                create the S3 user; returns at once when already running
#   ops/dev/ceph-rgw.sh stop     stop the daemons and remove the state directory
#   ops/dev/ceph-rgw.sh status   exit 0 and print the endpoint when RGW answers
#   ops/dev/ceph-rgw.sh env      print the env file (endpoint and keys)
#
# Environment: CHATVAULT_CEPH_DIR (state directory, default /tmp/chatvault-ceph),
# CHATVAULT_RGW_PORT (default 7480), CHATVAULT_CEPH_MEMSTORE_BYTES (OSD size, default 2 GiB),
# CHATVAULT_CEPH_START_TIMEOUT (seconds, default 180).
# The endpoint and keys are written to $CHATVAULT_CEPH_DIR/rgw.env.
set -euo pipefail

DIR="${CHATVAULT_CEPH_DIR:-/tmp/chatvault-ceph}"
RGW_PORT="${CHATVAULT_RGW_PORT:-7480}"
MEMSTORE_BYTES="${CHATVAULT_CEPH_MEMSTORE_BYTES:-2147483648}"
TIMEOUT="${CHATVAULT_CEPH_START_TIMEOUT:-180}"
MON_V2_PORT="${CHATVAULT_CEPH_MON_PORT:-3300}"
CONF="$DIR/ceph.conf"
ENDPOINT="http://127.0.0.1:$RGW_PORT"
# Fixed, well-known development keys: this gateway binds to loopback only and holds test data.
ACCESS_KEY="CHATVAULTDEVACCESSKEY"
SECRET_KEY="chatvault-dev-secret-key-not-for-production"

log() { echo "ceph-rgw: $*" >&2; }
die() { log "$*"; exit 1; }

rgw_answers() {
	curl -s -o /dev/null -m 2 -w '%{http_code}' "$ENDPOINT/" 2>/dev/null | grep -q '^[2-4]'
}

ceph_cli() { ceph -c "$CONF" --connect-timeout 10 "$@"; }

install_ceph() {
	if command -v ceph-mon >/dev/null && command -v ceph-osd >/dev/null && command -v radosgw >/dev/null \
		&& command -v radosgw-admin >/dev/null && command -v ceph >/dev/null && command -v monmaptool >/dev/null \
		&& command -v curl >/dev/null; then
		return
	fi
	[ "$(id -u)" = 0 ] || die "Ceph is not installed and installing needs root: apt-get install ceph-mon ceph-osd radosgw ceph-common"
	log "installing Ceph from the Debian packages"
	export DEBIAN_FRONTEND=noninteractive
	# Wait for the dpkg lock rather than fail: fresh cloud machines run apt at boot.
	apt-get -o DPkg::Lock::Timeout=300 update -q >&2
	apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends \
		ceph-mon ceph-osd radosgw ceph-common curl >&2
}

write_conf() {
	local fsid="$1"
	cat >"$CONF" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$MON_V2_PORT]
mon initial members = a
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind ipv6 = false
ms bind msgr1 = false
# No authentication between the daemons: loopback only, test data only.
auth cluster required = none
auth service required = none
auth client required = none
auth supported = none
ms cluster mode = crc secure
ms service mode = crc secure
ms client mode = crc secure
ms mon cluster mode = crc secure
ms mon service mode = crc secure
ms mon client mode = crc secure
run dir = $DIR/run
pid file = $DIR/run/\$name.pid
admin socket = $DIR/run/\$name.asok
log file = $DIR/log/\$name.log
keyring = /dev/null
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 1
mon data avail crit = 0
mon osd full ratio = .99
mon osd backfillfull ratio = .985
mon osd nearfull ratio = .98
mon warn on insecure global id reclaim allowed = false
osd failsafe full ratio = .995
mon data = $DIR/mon/\$cluster-\$id
osd data = $DIR/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = $MEMSTORE_BYTES
osd op num shards = 1
osd op num threads per shard = 2

[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:$RGW_PORT tcp_nodelay=1
rgw thread pool size = 64
rgw enable usage log = false
rgw lc debug interval = -1
CONF
}

wait_for() {
	local what="$1" deadline=$((SECONDS + TIMEOUT))
	shift
	until "$@" >/dev/null 2>&1; do
		if ((SECONDS >= deadline)); then
			die "$what not ready after ${TIMEOUT}s; logs in $DIR/log"
		fi
		sleep 1
	done
}

osd_up() { ceph_cli osd dump 2>/dev/null | grep -q '^osd.0 up'; }

start() {
	if rgw_answers && [ -f "$DIR/rgw.env" ]; then
		log "already running at $ENDPOINT"
		cat "$DIR/rgw.env"
		return
	fi
	install_ceph
	stop_daemons
	rm -rf "$DIR"
	mkdir -p "$DIR"/{run,log,mon/ceph-a,osd/ceph-0}
	local started=$SECONDS fsid
	fsid="$(cat /proc/sys/kernel/random/uuid)"
	write_conf "$fsid"

	monmaptool --create --clobber --addv a "[v2:127.0.0.1:$MON_V2_PORT]" --fsid "$fsid" "$DIR/monmap" >/dev/null
	ceph-mon -c "$CONF" --mkfs -i a --monmap "$DIR/monmap" 2>>"$DIR/log/startup.log"
	ceph-mon -c "$CONF" -i a 2>>"$DIR/log/startup.log"
	wait_for "monitor" ceph_cli mon stat

	local uuid
	uuid="$(cat /proc/sys/kernel/random/uuid)"
	ceph_cli osd new "$uuid" 0 >/dev/null
	ceph-osd -c "$CONF" -i 0 --mkfs --osd-uuid "$uuid" >>"$DIR/log/startup.log" 2>&1
	ceph-osd -c "$CONF" -i 0 2>>"$DIR/log/startup.log"
	wait_for "OSD" osd_up

	radosgw-admin -c "$CONF" user create --uid=chatvault --display-name="ChatVault tests" \
		--access-key="$ACCESS_KEY" --secret="$SECRET_KEY" >/dev/null
	radosgw -c "$CONF" -n client.rgw.a 2>>"$DIR/log/startup.log"
	wait_for "RADOS Gateway at $ENDPOINT" rgw_answers

	cat >"$DIR/rgw.env" <<ENV
CHATVAULT_TEST_S3_ENDPOINT=$ENDPOINT
CHATVAULT_TEST_S3_REGION=us-east-1
CHATVAULT_TEST_S3_ACCESS_KEY=$ACCESS_KEY
CHATVAULT_TEST_S3_SECRET_KEY=$SECRET_KEY
ENV
	log "RGW up at $ENDPOINT in $((SECONDS - started))s (state in $DIR)"
	cat "$DIR/rgw.env"
}

stop_daemons() {
	local pid_file pid
	for pid_file in "$DIR"/run/*.pid; do
		[ -f "$pid_file" ] || continue
		pid="$(cat "$pid_file")"
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null || true
		rm -f "$pid_file"
	done
}

stop() {
	stop_daemons
	rm -rf "$DIR"
	log "stopped"
}

status() {
	if rgw_answers; then
		echo "running at $ENDPOINT (state in $DIR)"
	else
		echo "not running"
		return 1
	fi
}

case "${1:-}" in
	start) start ;;
	stop) stop ;;
	status) status ;;
	env) cat "$DIR/rgw.env" ;;
	*) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
