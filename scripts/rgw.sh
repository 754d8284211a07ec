#!/usr/bin/env bash
# A throwaway Ceph S3 gateway (RGW) for the real-server test tiers: one monitor (ceph-mon), one OSD
# (ceph-osd on the in-memory "memstore" object store) and one radosgw, with no authentication inside
# the cluster (auth_*_required = none) and every daemon bound to 127.0.0.1 only. Nothing is installed
# or written outside the directory it runs in; nothing survives `stop`.
#
#   scripts/rgw.sh start [DIR]   brings a cluster up in DIR (created if missing; a new temp dir under
#                                $TMPDIR when omitted) and prints its settings as KEY=VALUE lines,
#                                which it also writes to DIR/env (shell- and dotenv-readable):
#                                  RGW_DIR        the directory (pass it to `stop`)
#                                  RGW_ENDPOINT   http://127.0.0.1:<port> (path-style requests)
#                                  RGW_PORT       the gateway's port
#                                  RGW_DNS_NAME   rgw_dns_name: a request whose Host is
#                                                 <bucket>.<RGW_DNS_NAME>[:port] is virtual-hosted
#                                  RGW_CONF       the ceph.conf, for `radosgw-admin -c` and `ceph -c`
#                                  RGW_OWNER_ACCESS_KEY / RGW_OWNER_SECRET_KEY
#                                                 user `owner` (no tenant), the customer: owns buckets
#                                  RGW_SEGMENTS_ACCESS_KEY / RGW_SEGMENTS_SECRET_KEY
#                                                 user `segmentsai-prod-user` in tenant 931508227573,
#                                                 i.e. the principal
#                                                 arn:aws:iam::931508227573:user/segmentsai-prod-user
#                                  RGW_KMS_TEST_KEY_ID
#                                                 a key ID for SSE-KMS (x-amz-server-side-encryption:
#                                                 aws:kms): RGW's `testing` KMS backend holds its key in
#                                                 the config; no KMS, no key policy. SSE-C works over
#                                                 plain HTTP (rgw_crypt_require_ssl = false).
#                                When the cluster is not serving S3 in time it prints the tail of the
#                                failing daemon's log, stops what it started and tries again on new
#                                ports (RGW_START_ATTEMPTS, default 3), then exits non-zero.
#   scripts/rgw.sh stop DIR      kills the daemons by the PIDs in DIR/pids (KILL: nothing is kept) and
#                                removes DIR.
#
# Ports: the monitor and the gateway take free ports the OS hands out (asked through node, bound to
# 127.0.0.1); the OSD binds 127.0.0.1 on the first free port of Ceph's 6800-7300 range. Messenger v2
# only. The access keys are fixed strings (a local test server, not a secret).
#
# By hand:
#   eval "$(scripts/rgw.sh start)"
#   AWS_ACCESS_KEY_ID=$RGW_OWNER_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$RGW_OWNER_SECRET_KEY \
#     aws --endpoint-url "$RGW_ENDPOINT" s3 mb s3://acme
#   curl -H "Host: acme.$RGW_DNS_NAME:$RGW_PORT" "$RGW_ENDPOINT/"      # virtual-hosted
#   radosgw-admin -c "$RGW_CONF" user list
#   scripts/rgw.sh stop "$RGW_DIR"
#
# Environment:
#   RGW_WATCH_PID      stop the cluster and remove DIR once that process is gone (a test runner passes
#                      its own PID, so a runner killed before its cleanup leaves nothing behind)
#   RGW_DNS_NAME       rgw_dns_name (default s3.localhost: browsers resolve *.localhost to 127.0.0.1)
#   RGW_START_TIMEOUT  seconds for each wait (default 60)
#   RGW_START_ATTEMPTS attempts before start gives up (default 3)
# Needs ceph-mon, ceph-osd, radosgw, radosgw-admin, monmaptool, Python's rados module (Debian:
# apt-get install -y radosgw ceph-mon ceph-osd) and node. Starts in about 3-4 s on 2 busy cores; DIR's
# log/start.log says where the time went, log/*.log hold each daemon's log.
set -euo pipefail

SEGMENTS_TENANT=931508227573
SEGMENTS_USER=segmentsai-prod-user
OWNER_ACCESS_KEY=RGWOWNERACCESSKEY000
OWNER_SECRET_KEY=rgw-owner-secret-key-for-local-tests-only
SEGMENTS_ACCESS_KEY=RGWSEGMENTSACCESSKEY
SEGMENTS_SECRET_KEY=rgw-segments-secret-key-for-local-tests-only
KMS_TEST_KEY_ID=segments-test-key
# 32 bytes, base64: the key the \`testing\` KMS backend holds for KMS_TEST_KEY_ID.
KMS_TEST_KEY=c2VnbWVudHMtdGVzdC1rZXktMzItYnl0ZXMtbG9uZyE=
TIMEOUT=${RGW_START_TIMEOUT:-60}

die() {
  echo "rgw.sh: $*" >&2
  exit 1
}

# free_port: a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
  node -e 'const s = require("net").createServer(); s.listen(0, "127.0.0.1", () => { process.stdout.write(String(s.address().port)); s.close(); });'
}

# log_tail <name>: the last lines of a daemon's log, for an error message.
log_tail() {
  local file="$dir/log/$1.log"
  echo "---- last lines of $file:" >&2
  if [ -s "$file" ]; then tail -n 25 "$file" >&2; else echo "(empty)" >&2; fi
  if [ -s "$dir/log/$1.out" ]; then
    echo "---- $dir/log/$1.out:" >&2
    tail -n 10 "$dir/log/$1.out" >&2
  fi
}

# fail <daemon> <message>: prints the message and the daemon's log tail, stops what was started.
# (Each attempt runs in a subshell: this exit ends the attempt; start decides whether to retry.)
fail() {
  set +e # whatever happens to the messages (a closed stderr), the daemons are stopped
  echo "rgw.sh: $2" >&2
  log_tail "$1"
  stop_daemons
  exit 1
}

# launch <name> <command...>: runs a daemon in the foreground of its own session, detached from our
# stdio (a caller waiting for our output must not wait for the daemons), and records its PID.
launch() {
  local name=$1; shift
  setsid "$@" </dev/null >"$dir/log/$name.out" 2>&1 &
  echo "$name $!" >>"$dir/pids"
  disown "$!" # no "Killed" notice from bash when stop kills it
}

# wait_for <daemon> <what> <command...>: polls the command until it succeeds; fails with the log of
# the daemon that died, or of <daemon> when the time is up.
wait_for() {
  local daemon=$1 what=$2; shift 2
  local deadline=$((SECONDS + TIMEOUT)) name pid
  until "$@" >/dev/null 2>&1; do
    while read -r name pid; do
      alive "$pid" || fail "$name" "$name exited while waiting for $what"
    done <"$dir/pids"
    [ $SECONDS -lt $deadline ] || fail "$daemon" "timed out after ${TIMEOUT}s waiting for $what"
    sleep 0.05
  done
}

# mark <what>: notes in DIR/log/start.log how long the start has taken so far.
mark() {
  echo "$(date +%T.%N | cut -c1-12) +$(( $(date +%s%N) / 1000000 - start_ms )) ms $1" >>"$dir/log/start.log"
}

# alive <pid>: the process exists and is not a zombie waiting for its parent to reap it.
alive() {
  local state
  state=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# kill_all <pid...>: SIGKILL, then waits until each is gone. KILL at once: the cluster is thrown
# away, and on TERM the OSD spends seconds saving its memstore to disk.
kill_all() {
  [ $# -gt 0 ] || return 0
  kill -KILL "$@" 2>/dev/null || true
  local pid deadline
  for pid in "$@"; do
    deadline=$((SECONDS + 10))
    while alive "$pid"; do
      [ $SECONDS -lt $deadline ] || die "process $pid is still alive 10 s after SIGKILL"
      sleep 0.05
    done
  done
}

# daemon_pids: the PIDs in DIR/pids.
daemon_pids() {
  [ ! -f "$dir/pids" ] || awk '{ print $2 }' "$dir/pids"
}

# stop_watchdog: kills the watchdog that `start` left (RGW_WATCH_PID), if any.
stop_watchdog() {
  if [ -f "$dir/watchdog.pid" ]; then
    kill -KILL "$(cat "$dir/watchdog.pid")" 2>/dev/null || true
    rm -f "$dir/watchdog.pid"
  fi
}

# stop_daemons: kills every daemon in DIR/pids.
stop_daemons() {
  # shellcheck disable=SC2046
  kill_all $(daemon_pids)
  rm -f "$dir/pids"
}

write_conf() {
  cat >"$dir/ceph.conf" <<EOF
[global]
fsid = $fsid
mon_host = v2:127.0.0.1:$mon_port
public_addr = 127.0.0.1
cluster_addr = 127.0.0.1
ms_bind_msgr1 = false
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
# Without cephx there is no session key for "secure" mode; radosgw asks for it towards the monitor.
ms_mon_client_mode = crc
ms_client_mode = crc
keyring = $dir/keyring
run_dir = $dir/run
admin_socket = $dir/run/\$name.asok
log_file = $dir/log/\$name.log
mon_cluster_log_file = $dir/log/cluster.log
pid_file = $dir/run/\$name.pid
crash_dir = $dir/crash
exec_dir = $dir/run
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
mon_allow_pool_size_one = true
mon_warn_on_pool_no_redundancy = false
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
mon_data_avail_warn = 1
mon_data_avail_crit = 0
# Commit each monitor change at once rather than batching for a second: radosgw makes a dozen
# pool commands at its first start, and the script a few.
paxos_propose_interval = 0.01
paxos_min_wait = 0.001

[mon]
mon_data = $dir/mon
mon_initial_members = a
mon_cluster_log_to_file = true

[osd]
osd_data = $dir/osd
osd_objectstore = memstore
memstore_device_bytes = 1073741824
osd_crush_update_on_start = false
osd_max_object_name_len = 460
osd_max_object_namespace_len = 64

[client.rgw]
rgw_frontends = beast endpoint=127.0.0.1:$rgw_port
rgw_dns_name = $dns_name
rgw_data = $dir/rgw
rgw_enable_usage_log = false
rgw_thread_pool_size = 32
# SSE-C over plain HTTP (the gateway has no TLS; S3 itself refuses SSE-C without HTTPS).
rgw_crypt_require_ssl = false
# SSE-KMS with the \`testing\` backend: key IDs map to fixed 256-bit keys held in this file (no KMS).
rgw_crypt_s3_kms_backend = testing
rgw_crypt_s3_kms_encryption_keys = $KMS_TEST_KEY_ID=$KMS_TEST_KEY
EOF
}

start() {
  dir=${1:-}
  made_dir=0
  if [ -z "$dir" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/rgw.XXXXXX")
    made_dir=1
  elif [ ! -d "$dir" ]; then
    mkdir -p "$dir"
    made_dir=1
  fi
  dir=$(cd "$dir" && pwd)
  [ ! -e "$dir/pids" ] || die "$dir already holds a cluster (stop it first: $0 stop $dir)"
  local bin
  for bin in ceph-mon ceph-osd radosgw radosgw-admin monmaptool node; do
    command -v "$bin" >/dev/null || die "$bin is not installed (Debian: apt-get install -y radosgw ceph-mon ceph-osd)"
  done
  /usr/bin/python3 -c 'import rados' 2>/dev/null || die "Python's rados module is not installed (Debian: apt-get install -y python3-rados)"
  dns_name=${RGW_DNS_NAME:-s3.localhost}
  local attempts=${RGW_START_ATTEMPTS:-3} attempt status
  watchdog=
  # Interrupted (Ctrl-C, kill), start stops what it started. A closed stdout or stderr (| head)
  # must not kill it half-way either: writes then just fail.
  trap '' PIPE
  trap 'abort_start' INT TERM HUP
  if [ -n "${RGW_WATCH_PID:-}" ]; then watch_parent "$RGW_WATCH_PID"; fi
  for attempt in $(seq "$attempts"); do
    # A failed attempt has stopped its daemons; the next starts afresh, on new ports. (Not run as
    # an `if` condition: bash would ignore set -e inside it.)
    set +e
    (set -e; start_once)
    status=$?
    set -e
    if [ "$status" = 0 ]; then
      if [ -n "$watchdog" ]; then echo "$watchdog" >"$dir/watchdog.pid"; fi
      return 0
    fi
    echo "rgw.sh: attempt $attempt of $attempts failed" >&2 || true
    rm -rf "${dir:?}"/*
  done
  abort_start
}

# abort_start: after the last failed attempt or a signal, stops the daemons and the watchdog, and
# removes DIR if start made it.
abort_start() {
  set +e
  trap - INT TERM HUP
  if [ -n "$watchdog" ]; then kill -KILL "$watchdog" 2>/dev/null || true; fi
  stop_daemons 2>/dev/null || true
  if [ "$made_dir" = 1 ]; then rm -rf "$dir"; fi
  exit 1
}

# start_once: one attempt at bringing the cluster up in DIR and printing its settings.
start_once() {
  mkdir -p "$dir/mon" "$dir/osd" "$dir/rgw" "$dir/run" "$dir/log" "$dir/crash"
  : >"$dir/pids"
  start_ms=$(( $(date +%s%N) / 1000000 ))
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon_port=$(free_port)
  rgw_port=$(free_port)
  write_conf

  # Monitor: a one-member map, then the daemon. The OSD's store (memstore) is made meanwhile: with
  # the monitor map given, mkfs needs no monitor.
  monmaptool --create --clobber --fsid "$fsid" --addv a "[v2:127.0.0.1:$mon_port]" "$dir/monmap" >/dev/null
  local osd_uuid osd_mkfs
  osd_uuid=$(cat /proc/sys/kernel/random/uuid)
  ceph-osd -c "$dir/ceph.conf" -i 0 --mkfs --monmap "$dir/monmap" --osd-uuid "$osd_uuid" >"$dir/log/osd.0.out" 2>&1 &
  osd_mkfs=$!
  ceph-mon -c "$dir/ceph.conf" --mkfs -i a --monmap "$dir/monmap" >"$dir/log/mon.a.out" 2>&1 ||
    fail mon.a "ceph-mon --mkfs failed"
  launch mon.a ceph-mon -c "$dir/ceph.conf" -f -i a
  wait "$osd_mkfs" || fail osd.0 "ceph-osd --mkfs failed"
  mark "monitor started, osd.0 made"

  # Register osd.0 and place it in the crush map by hand (osd_crush_update_on_start = false):
  # letting the OSD place itself at start made it die with "wrong fsid" about half the time.
  register_osd "$osd_uuid" >"$dir/log/register.out" 2>&1 || fail mon.a "could not register osd.0: $(cat "$dir/log/register.out")"
  mark "osd.0 registered"

  # The gateway starts once the OSD is up (the OSD logs that it saw itself up in the map): pools
  # that radosgw creates before then sometimes stall its start for 5 s. It listens once it is ready.
  launch osd.0 ceph-osd -c "$dir/ceph.conf" -f -i 0
  wait_for osd.0 "osd.0 to be up" grep -q 'state: booting -> active' "$dir/log/osd.0.log"
  mark "osd.0 up"
  launch client.rgw radosgw -c "$dir/ceph.conf" -f -n client.rgw
  wait_for client.rgw "radosgw on 127.0.0.1:$rgw_port" rgw_answers
  mark "radosgw answers"

  local owner segments
  make_user owner --uid owner --display-name "bucket owner" \
    --access-key "$OWNER_ACCESS_KEY" --secret-key "$OWNER_SECRET_KEY" &
  owner=$!
  make_user segments --tenant "$SEGMENTS_TENANT" --uid "$SEGMENTS_USER" --display-name "Segments.ai" \
    --access-key "$SEGMENTS_ACCESS_KEY" --secret-key "$SEGMENTS_SECRET_KEY" &
  segments=$!
  wait "$owner" || fail client.rgw "radosgw-admin user create owner failed: $(cat "$dir/log/user-owner.out")"
  wait "$segments" || fail client.rgw "radosgw-admin user create $SEGMENTS_USER failed: $(cat "$dir/log/user-segments.out")"
  mark "users made"
  cat >"$dir/env" <<EOF
RGW_DIR=$dir
RGW_ENDPOINT=http://127.0.0.1:$rgw_port
RGW_PORT=$rgw_port
RGW_DNS_NAME=$dns_name
RGW_CONF=$dir/ceph.conf
RGW_OWNER_ACCESS_KEY=$OWNER_ACCESS_KEY
RGW_OWNER_SECRET_KEY=$OWNER_SECRET_KEY
RGW_SEGMENTS_ACCESS_KEY=$SEGMENTS_ACCESS_KEY
RGW_SEGMENTS_SECRET_KEY=$SEGMENTS_SECRET_KEY
RGW_KMS_TEST_KEY_ID=$KMS_TEST_KEY_ID
EOF
  cat "$dir/env"
}

# register_osd <uuid>: waits for the monitor, then creates osd.0 and puts it under the crush root.
# One Python process with librados (the `ceph` CLI would start Python once per command).
register_osd() {
  timeout "$TIMEOUT" /usr/bin/python3 - "$dir/ceph.conf" "$1" <<'PY'
import json, sys, time
import rados

conf, uuid = sys.argv[1:3]
while True:
    cluster = rados.Rados(conffile=conf, conf={"client_mount_timeout": "2"})
    try:
        cluster.connect(timeout=2)
        break
    except rados.Error:
        cluster.shutdown()
        time.sleep(0.05)

def command(**args):
    ret, out, err = cluster.mon_command(json.dumps(dict(args, format="json")), b"", timeout=20)
    if ret != 0:
        sys.exit(f"{args['prefix']} failed ({ret}): {err}")
    return out

osd = json.loads(command(prefix="osd create", uuid=uuid))["osdid"]
if osd != 0:
    sys.exit(f"osd create returned osd.{osd}, not osd.0")
command(prefix="osd crush add", id=0, weight=1.0, args=["root=default"])
cluster.shutdown()
PY
}

# watch_parent <pid>: starts a background watchdog that kills the cluster's daemons and removes DIR
# when that process is gone (a test runner killed before its cleanup ran, even during start). It
# keeps the last PIDs it read from DIR/pids: by the time the parent is gone, DIR may be gone too
# (removed with the runner's temp dir). It ignores the terminal's signals; `stop` kills it first.
# Sets watchdog to its PID.
watch_parent() {
  local parent=$1
  (
    trap '' INT TERM HUP
    pids=
    while alive "$parent"; do
      if [ -s "$dir/pids" ]; then pids=$(daemon_pids); fi
      sleep 0.5
    done
    # shellcheck disable=SC2086
    kill_all $pids
    rm -rf "$dir"
  ) </dev/null >/dev/null 2>&1 &
  watchdog=$!
  disown "$watchdog"
}

# make_user <label> <radosgw-admin user create args...>
make_user() {
  local label=$1; shift
  radosgw-admin -c "$dir/ceph.conf" user create "$@" >"$dir/log/user-$label.out" 2>&1
}

rgw_answers() {
  # Any HTTP answer at all means the frontend is serving (anonymous ListBuckets answers 200).
  node -e '
    const r = require("http").get({ host: "127.0.0.1", port: Number(process.argv[1]), path: "/", timeout: 2000 }, (res) => { res.resume(); process.exit(0); });
    r.on("error", () => process.exit(1));
    r.on("timeout", () => { r.destroy(); process.exit(1); });
  ' "$rgw_port"
}

stop() {
  dir=${1:-}
  [ -n "$dir" ] || die "usage: $0 stop DIR"
  [ -d "$dir" ] || return 0
  stop_watchdog
  stop_daemons
  rm -rf "$dir"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) shift; stop "$@" ;;
  *) die "usage: $0 start [DIR] | stop DIR" ;;
esac
