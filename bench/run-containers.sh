#!/usr/bin/env bash
# Container-lifecycle benchmark for issue 3: many containers at once, and stop of a container that ignores
# SIGTERM; berthd vs the real dockerd in one run on this machine, with the real Docker CLI against both, so
# only the daemon differs (see docs/bench.md and DESIGN.md "Performance: how it is measured").
#
#   bash bench/run-containers.sh            (as root, with dist/ built: npm run build:ts)
#
# Measures, alternating berthd and dockerd each repetition:
#   1. N (50) × `docker run -d busybox sleep 600` launched concurrently (xargs -P N): wall time until all
#      have returned an ID ("start-all"), then ONE `docker rm -f ID…` with all of them ("remove-all");
#      containers per second for each. REPS (3) repetitions per daemon; the summary gives medians.
#   2. `docker stop -t 1` of a container that ignores SIGTERM
#      (`docker run -d busybox sh -c 'trap "" TERM; while true; do sleep 1; done'`): wall time of the stop
#      (the 1 s grace period is included: both daemons must wait it out, then SIGKILL). STOP_REPS (5) each.
#   3. `exec` is not measured: berth does not implement it yet.
#
# Daemons: a fresh berthd (temp data/exec roots under /tmp/berth-bench-ctr.*, from a copy of the build) and
# dockerd in its default configuration (bridge + iptables, its own containerd) on /var/lib/docker-bench,
# /run/docker-bench, /run/docker-bench.sock. By default dockerd runs in a network namespace of its own
# (DOCKERD_NETNS=1, as in run-startup.sh): the same bridge/veth/iptables work per container, but docker0
# and its rules never touch the host's. The host state is recorded before and compared after; cleanup is
# exact (bench/lib.sh, shared with the logic of run-startup.sh). Exit status: 0 done; 1 a step failed;
# 3 the machine is not as before; 4 docker0 was replaced during the run (results invalid); 130 interrupted.
#
# Environment: N (50), REPS (3), STOP_REPS (5), DOCKERD_NETNS (1), BERTH_RUNTIME (runc | crun; unset =
#   berthd's default), KEEP_DOCKER_DATA=1, RESULTS_DIR (bench/results).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
N="${N:-50}"
REPS="${REPS:-3}"
STOP_REPS="${STOP_REPS:-5}"
KEEP_DOCKER_DATA="${KEEP_DOCKER_DATA:-0}"
DOCKERD_NETNS="${DOCKERD_NETNS:-1}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"

DOCKER_CLI=/usr/local/bin/docker
DOCKERD="$(command -v dockerd || true)"
BUILD="$RESULTS_DIR/.build-ctr-$$"
BERTH_JS="$BUILD/bin/berth"
BERTHD_JS="$BUILD/dist/src/cmd/berthd.js"

D_DATA=/var/lib/docker-bench
D_EXEC=/run/docker-bench
D_SOCK=/run/docker-bench.sock
D_PIDFILE=/run/docker-bench.pid
D_CONTAINERD_PIDFILE="$D_EXEC/containerd/containerd.pid"
D_CONTAINERD_SOCK="$D_EXEC/containerd/containerd.sock"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TMP=""
BERTHD_PID=""
DOCKERD_PID=""
CONTAINERD_PID=""
SNAP_BEFORE=""
CLEANED=0
FAILED_CLEANUP=0
B_SOCK=""

# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

# dk SOCKET ARGS… — the real Docker CLI against one daemon (bounded)
dk() { local s="$1"; shift; timeout -k 5 120 "$DOCKER_CLI" -H "unix://$s" "$@"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Remove every container left on a daemon (bounded), before the daemons are stopped.
remove_all_on() { # SOCKET
  local ids
  ping "$1" || return 0
  ids="$(dk "$1" ps -aq 2>/dev/null || true)"
  [ -z "$ids" ] && return 0
  log "removing $(echo "$ids" | wc -l) leftover container(s) on $1"
  # shellcheck disable=SC2086
  dk "$1" rm -f $ids >/dev/null 2>&1 || log "rm -f of leftovers on $1 failed"
}

on_exit() {
  local rc=$?
  set +e
  if [ "$CLEANED" = 0 ] && [ -n "$TMP" ]; then
    [ -n "$B_SOCK" ] && remove_all_on "$B_SOCK"
    [ -n "$DOCKERD_PID" ] && remove_all_on "$D_SOCK"
  fi
  (exit "$rc")
  cleanup
}

# ---------------------------------------------------------------------------------------- preflight

[ "$(id -u)" = 0 ] || die "run as root"
for c in node iptables-save ip xargs unshare nsenter; do command -v "$c" >/dev/null || die "$c not found"; done
[ -n "$DOCKERD" ] || die "dockerd not found (apt-get install docker.io)"
[ -x "$DOCKER_CLI" ] || die "$DOCKER_CLI not found"
[ -f "$ROOT/dist/src/cmd/berthd.js" ] && [ -f "$ROOT/dist/berth.cjs" ] || die "berth is not built: npm run build:ts"
[ -f "$ROOT/build/Release/berth_native.node" ] || die "the native addon is not built: npm run build"
[ "$N" -ge 1 ] && [ "$N" -le 200 ] || die "N must be 1..200"
[ "$REPS" -ge 1 ] && [ "$REPS" -le 20 ] && [ "$STOP_REPS" -ge 1 ] && [ "$STOP_REPS" -le 50 ] || die "REPS 1..20, STOP_REPS 1..50"
ip link show docker0 >/dev/null 2>&1 && die "docker0 already exists: another dockerd with bridge networking is running or left it; refusing"
iptables-save 2>/dev/null | grep -q '^:DOCKER' && die "iptables already has DOCKER chains; refusing (cleanup could not tell them apart)"
ping "$D_SOCK" && die "something already answers on $D_SOCK (another bench running?)"
[ -z "$(mounts_under "$D_DATA" "$D_EXEC")" ] || die "mounts left under $D_DATA or $D_EXEC; clean them first"
[ -S /run/containerd/containerd.sock ] && log "warning: /run/containerd/containerd.sock exists: dockerd will use that containerd instead of starting its own"
others="$(other_dockerds)"
[ -z "$others" ] || log "note: another dockerd is running (pid $others)"

mkdir -p "$RESULTS_DIR"
TMP="$(mktemp -d /tmp/berth-bench-ctr.XXXXXX)"
SNAP_BEFORE="$TMP/snap-before"
snapshot "$SNAP_BEFORE"
trap on_exit EXIT
trap 'exit 130' INT TERM

# a copy of the build, so a rebuild in the tree during the run cannot change the code being measured
mkdir -p "$BUILD/dist" "$BUILD/build/Release" "$BUILD/bin"
cp -a "$ROOT/bin/berth" "$ROOT/bin/package.json" "$BUILD/bin/"
cp -a "$ROOT/dist/src" "$ROOT/dist/berth.cjs" "$BUILD/dist/"
cp -a "$ROOT/build/Release/berth_native.node" "$BUILD/build/Release/"

SUMMARY="$RESULTS_DIR/containers-summary-$STAMP.txt"
SAMPLES="$RESULTS_DIR/containers-$STAMP.tsv"
say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
printf 'daemon\trep\tmetric\tms\n' >"$SAMPLES"
sample() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" >>"$SAMPLES"; }

say "berth container-lifecycle benchmark (issue 3), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(nproc) CPU ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
say "versions: node $(node -v), dockerd $("$DOCKERD" --version | sed 's/^Docker version //'), docker CLI $("$DOCKER_CLI" version --format '{{.Client.Version}}' 2>/dev/null), runc $(runc --version 2>/dev/null | head -1 | awk '{print $3}'), conmon $(conmon --version 2>/dev/null | head -1 | awk '{print $3}')"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "dockerd network namespace: $([ "$DOCKERD_NETNS" = 1 ] && echo "its own (DOCKERD_NETNS=1)" || echo "the host's")"
say "N=$N REPS=$REPS STOP_REPS=$STOP_REPS"

# --------------------------------------------------------------------------------- the two daemons

log "building the busybox rootfs"
bash "$ROOT/scripts/make-busybox-rootfs.sh" "$TMP/busybox.tar" >/dev/null

B_SOCK="$TMP/berth.sock"
log "starting berthd on $B_SOCK"
node "$BERTHD_JS" -H "unix://$B_SOCK" --data-root "$TMP/data" --exec-root "$TMP/exec" ${BERTH_RUNTIME:+--runtime "$BERTH_RUNTIME"} \
  </dev/null >"$TMP/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_ping "$B_SOCK" "$BERTHD_PID" 15 || { tail -n 20 "$TMP/berthd.log" >&2; die "berthd did not start"; }
unset DOCKER_HOST
BERTH_HOST="unix://$B_SOCK" timeout --foreground 120 node "$BERTH_JS" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null

log "starting dockerd (default configuration: bridge + iptables) on $D_SOCK"
mkdir -p "$D_DATA" "$D_EXEC"
rm -f "$D_SOCK" "$D_PIDFILE"
NETNS_WRAP=()
[ "$DOCKERD_NETNS" = 1 ] && NETNS_WRAP=(unshare --net --)
setsid "${NETNS_WRAP[@]}" "$DOCKERD" --data-root "$D_DATA" --exec-root "$D_EXEC" -H "unix://$D_SOCK" --pidfile "$D_PIDFILE" \
  </dev/null >"$TMP/dockerd.log" 2>&1 &
DOCKERD_PID=$!
wait_ping "$D_SOCK" "$DOCKERD_PID" 60 || { tail -n 20 "$TMP/dockerd.log" >&2; die "dockerd did not start"; }
CONTAINERD_PID="$(cat "$D_CONTAINERD_PIDFILE" 2>/dev/null || true)"
exe_is "${CONTAINERD_PID:-0}" containerd || { log "warning: no containerd of dockerd's own found"; CONTAINERD_PID=""; }
docker0_ifindex() { nsenter -t "$DOCKERD_PID" -n ip -o link show docker0 2>/dev/null | cut -d: -f1; }
DOCKER0_IFINDEX="$(docker0_ifindex)"
[ -n "$DOCKER0_IFINDEX" ] || die "dockerd did not create docker0"
VALID=1
docker0_intact() {
  if [ "$(docker0_ifindex)" != "$DOCKER0_IFINDEX" ]; then
    log "WARNING: docker0 was deleted or replaced $1; the dockerd figures are not valid (DOCKERD_NETNS=1 avoids this)"
    VALID=0
  fi
}
dk "$D_SOCK" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null

# Both daemons must run a container before any timing.
dk "$B_SOCK" run --rm busybox true
dk "$D_SOCK" run --rm busybox true

# ----------------------------------------------------------------------------- 1. N concurrent runs

# many SIDE SOCKET REP — N concurrent `docker run -d`, then one `docker rm -f` of all of them
many() {
  local side="$1" sock="$2" rep="$3" t0 t1 t2 n ids
  [ -z "$(dk "$sock" ps -aq)" ] || die "$side: containers left before rep $rep"
  t0=$(now_ms)
  if ! seq "$N" | xargs -P "$N" -I{} timeout -k 5 120 "$DOCKER_CLI" -H "unix://$sock" run -d busybox sleep 600 >"$TMP/ids-$side-$rep" 2>"$TMP/err-$side-$rep"; then
    log "$side rep $rep: some runs failed:"; head -n 5 "$TMP/err-$side-$rep" >&2
    die "$side: concurrent run failed"
  fi
  t1=$(now_ms)
  n="$(grep -c . "$TMP/ids-$side-$rep" || true)"
  [ "$n" = "$N" ] || die "$side rep $rep: $n IDs for $N runs"
  running="$(dk "$sock" ps -q | wc -l)"
  [ "$running" = "$N" ] || die "$side rep $rep: $running running, expected $N"
  ids="$(tr '\n' ' ' <"$TMP/ids-$side-$rep")"
  t1b=$(now_ms)
  # shellcheck disable=SC2086
  dk "$sock" rm -f $ids >/dev/null || die "$side rep $rep: rm -f failed"
  t2=$(now_ms)
  [ -z "$(dk "$sock" ps -aq)" ] || die "$side rep $rep: containers left after rm -f"
  sample "$side" "$rep" start-all $((t1 - t0))
  sample "$side" "$rep" remove-all $((t2 - t1b))
  log "$side rep $rep: start-all $((t1 - t0)) ms, remove-all $((t2 - t1b)) ms"
}

log "1. $N x docker run -d busybox sleep 600 concurrently, then one docker rm -f; $REPS reps per daemon, alternating"
for ((r = 1; r <= REPS; r++)); do
  many berthd "$B_SOCK" "$r"
  many dockerd "$D_SOCK" "$r"
  sleep 1
done
docker0_intact "during the concurrent runs"

# ---------------------------------------------------------------------- 2. stop of a TERM-ignoring one

stop1() { # SIDE SOCKET REP
  local side="$1" sock="$2" rep="$3" cid t0 t1 i
  cid="$(dk "$sock" run -d busybox sh -c 'trap "" TERM; while true; do sleep 1; done')"
  # wait until it runs (bounded), plus a moment for the shell to install its trap
  for ((i = 0; i < 50; i++)); do [ "$(dk "$sock" inspect -f '{{.State.Running}}' "$cid")" = true ] && break; sleep 0.1; done
  sleep 0.5
  t0=$(now_ms)
  dk "$sock" stop -t 1 "$cid" >/dev/null || die "$side: stop failed"
  t1=$(now_ms)
  [ "$(dk "$sock" inspect -f '{{.State.Running}}' "$cid")" = false ] || die "$side: still running after stop"
  dk "$sock" rm -f "$cid" >/dev/null
  sample "$side" "$rep" stop $((t1 - t0))
  log "$side rep $rep: stop -t 1 $((t1 - t0)) ms"
}

log "2. docker stop -t 1 of a container that ignores SIGTERM; $STOP_REPS reps per daemon, alternating"
for ((r = 1; r <= STOP_REPS; r++)); do
  stop1 berthd "$B_SOCK" "$r"
  stop1 dockerd "$D_SOCK" "$r"
done
docker0_intact "during the stops"

# ---------------------------------------------------------------------------------------- summary

med_of() { awk -F'\t' -v d="$1" -v m="$2" '$1 == d && $3 == m { print $4 }' "$SAMPLES" | median; }
all_of() { awk -F'\t' -v d="$1" -v m="$2" '$1 == d && $3 == m { printf "%s%s", sep, $4; sep = " " }' "$SAMPLES"; }

say ""
say "wall times in ms (median; all samples in brackets); speed-up = dockerd / berthd (target >= 2.0)"
printf '%-34s %20s %20s %9s %s\n' "" "berthd" "dockerd" "speed-up" "" | tee -a "$SUMMARY"
for m in start-all remove-all stop; do
  b="$(med_of berthd "$m")" d="$(med_of dockerd "$m")"
  case "$m" in
    start-all) label="$N x run -d, concurrent" ;;
    remove-all) label="rm -f of $N (one call)" ;;
    stop) label="stop -t 1, SIGTERM ignored" ;;
  esac
  awk -v l="$label" -v b="$b" -v d="$d" -v ba="$(all_of berthd "$m")" -v da="$(all_of dockerd "$m")" 'BEGIN {
    printf "%-34s %20s %20s %8.2fx %s\n", l, sprintf("%.0f", b), sprintf("%.0f", d), d / b, (d >= 2 * b) ? "met" : "NOT met"
    printf "%-34s %20s %20s\n", "", "[" ba "]", "[" da "]" }' | tee -a "$SUMMARY"
  if [ "$m" = stop ]; then
    awk -v b="$b" -v d="$d" 'BEGIN { printf "%-34s %20.0f %20.0f %8.2fx (beyond the 1 s grace period)\n", "  stop minus 1000 ms", b - 1000, d - 1000, (d - 1000) / (b - 1000) }' | tee -a "$SUMMARY"
  fi
done
for m in start-all remove-all; do
  b="$(med_of berthd "$m")" d="$(med_of dockerd "$m")"
  awk -v m="$m" -v n="$N" -v b="$b" -v d="$d" 'BEGIN { printf "containers/s, %-20s %20.1f %20.1f\n", m, n * 1000 / b, n * 1000 / d }' | tee -a "$SUMMARY"
done
say "exec: not measured (berth does not implement exec yet)"
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$VALID" = 1 ] || say "INVALID RUN: docker0 was deleted or replaced during the measurements"
say "results: $SAMPLES, $SUMMARY"
[ "$VALID" = 1 ] || exit 4
