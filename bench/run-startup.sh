#!/usr/bin/env bash
# Start-up benchmark for issue 2: `run --rm busybox true`, berth vs the real dockerd, in one run on this
# machine (see docs/bench.md and DESIGN.md "Performance: how it is measured").
#
#   bash bench/run-startup.sh            (as root, after `npm run build:ts`)
#
# Times with hyperfine -N (each command RUNS times after WARMUP warmups):
#   a  berth run --rm busybox true                     → a fresh berthd on a temp data root
#   b  docker run --rm busybox true                    → the same berthd (DOCKER_HOST)
#   c  docker run --rm busybox true                    → dockerd in its default configuration
#                                                        (bridge networking, iptables on)
#   d  docker run --rm --network none busybox true     → the same dockerd (like for like: no network)
#   n  node -e 0                                       → floor: Node start-up alone (a pays it)
#   v  berth --version                                 → the berth CLI loading, no daemon call
# then the daemons' own share at the API level (bench/daemon-share.ts) against berthd and dockerd, and the
# resident memory of berthd, one conmon, dockerd, its containerd and one containerd-shim.
#
# The dockerd runs on its own roots (/var/lib/docker-bench, /run/docker-bench, /run/docker-bench.sock) and
# changes the host: it creates the docker0 bridge and iptables chains and rules. The script records the
# host's network state first and removes exactly what was added afterwards, then checks the machine is as
# before (exit status 3 if not).
#
# Environment: RUNS (30), WARMUP (3), SHARE_RUNS (30), SHARE_WARMUP (3), RSS_RUNS (20),
#   BERTH_RUNTIME (berthd's default runtime: runc | crun; unset = berthd's default),
#   KEEP_DOCKER_DATA=1 keeps /var/lib/docker-bench (default: removed at the end),
#   DOCKERD_NETNS=1 runs the dockerd in a network namespace of its own (`unshare --net`): same work per
#     container (bridge, veth, iptables), but the host's docker0/iptables are untouched and a dockerd
#     started with --bridge none elsewhere (which deletes the host's docker0) cannot disturb the run,
#   RESULTS_DIR (bench/results).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-30}"
WARMUP="${WARMUP:-3}"
SHARE_RUNS="${SHARE_RUNS:-30}"
SHARE_WARMUP="${SHARE_WARMUP:-3}"
RSS_RUNS="${RSS_RUNS:-20}"
KEEP_DOCKER_DATA="${KEEP_DOCKER_DATA:-0}"
DOCKERD_NETNS="${DOCKERD_NETNS:-0}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"

DOCKER_CLI=/usr/local/bin/docker
DOCKERD="$(command -v dockerd || true)"
# The run uses a copy of the build (dist/src, dist/bench, the native addon) under bench/results/, so a
# rebuild in the tree during the run cannot change the code being measured half-way.
BUILD="$RESULTS_DIR/.build-$$"
# The CLI as users run it: bin/berth, which loads the one-file bundle with its code cache.
BERTH_JS="$BUILD/bin/berth"
BERTHD_JS="$BUILD/dist/src/cmd/berthd.js"
SHARE_JS="$BUILD/dist/bench/daemon-share.js"

D_DATA=/var/lib/docker-bench
D_EXEC=/run/docker-bench
D_SOCK=/run/docker-bench.sock
D_PIDFILE=/run/docker-bench.pid
D_CONTAINERD_PIDFILE="$D_EXEC/containerd/containerd.pid"
D_CONTAINERD_SOCK="$D_EXEC/containerd/containerd.sock"

STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TMP=""            # temp dir: berthd's socket, data and exec roots, the busybox tar, snapshots
BERTHD_PID=""
DOCKERD_PID=""
CONTAINERD_PID=""
SNAP_BEFORE=""
CLEANED=0
FAILED_CLEANUP=0

# Helpers shared with run-containers.sh: log/die, api/ping, stop_pid, mounts, snapshot/verify, cleanup.
# shellcheck source=bench/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# ---------------------------------------------------------------------------------------- preflight

[ "$(id -u)" = 0 ] || die "run as root"
for c in hyperfine jq node iptables-save ip; do command -v "$c" >/dev/null || die "$c not found"; done
[ -n "$DOCKERD" ] || die "dockerd not found (apt-get install docker.io)"
[ -x "$DOCKER_CLI" ] || die "$DOCKER_CLI not found"
[ -f "$ROOT/dist/src/cmd/berthd.js" ] && [ -f "$ROOT/dist/berth.cjs" ] || die "berth is not built: npm run build:ts"
[ -f "$ROOT/build/Release/berth_native.node" ] || die "the native addon is not built: npm run build"
[ -f "$ROOT/dist/bench/daemon-share.js" ] || die "dist/bench/daemon-share.js is missing: npm run build:ts (it compiles bench/**/*.ts)"
ip link show docker0 >/dev/null 2>&1 && die "docker0 already exists: another dockerd with bridge networking is running or left it; refusing"
iptables-save 2>/dev/null | grep -q '^:DOCKER' && die "iptables already has DOCKER chains; refusing (cleanup could not tell them apart)"
ping "$D_SOCK" && die "something already answers on $D_SOCK"
[ -z "$(mounts_under "$D_DATA" "$D_EXEC")" ] || die "mounts left under $D_DATA or $D_EXEC; clean them first"
[ -S /run/containerd/containerd.sock ] && log "warning: /run/containerd/containerd.sock exists: dockerd will use that containerd instead of starting its own"

others="$(other_dockerds)"
[ -z "$others" ] || log "note: another dockerd is running (pid $others). A dockerd started with --bridge none (scripts/dockerd-ref.sh, the compat tests) deletes docker0 when it starts; the script checks docker0 survives the run."

mkdir -p "$RESULTS_DIR"
TMP="$(mktemp -d /tmp/berth-bench.XXXXXX)"
SNAP_BEFORE="$TMP/snap-before"
snapshot "$SNAP_BEFORE"
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$BUILD/dist" "$BUILD/build/Release"
mkdir -p "$BUILD/bin"
cp -a "$ROOT/bin/berth" "$ROOT/bin/package.json" "$BUILD/bin/"
cp -a "$ROOT/dist/src" "$ROOT/dist/bench" "$ROOT/dist/berth.cjs" "$BUILD/dist/"
cp -a "$ROOT/build/Release/berth_native.node" "$BUILD/build/Release/"

SUMMARY="$RESULTS_DIR/summary-$STAMP.txt"
say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }

say "berth start-up benchmark, $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(nproc) CPU ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
say "versions: node $(node -v), dockerd $("$DOCKERD" --version | sed 's/^Docker version //'), docker CLI $("$DOCKER_CLI" version --format '{{.Client.Version}}' 2>/dev/null), runc $(runc --version 2>/dev/null | head -1 | awk '{print $3}'), crun $(crun --version 2>/dev/null | head -1 | awk '{print $3}'), conmon $(conmon --version 2>/dev/null | head -1 | awk '{print $3}'), $(hyperfine --version)"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "dockerd network namespace: $([ "$DOCKERD_NETNS" = 1 ] && echo "its own (DOCKERD_NETNS=1)" || echo "the host's")"

# --------------------------------------------------------------------------------- the two daemons

log "building the busybox rootfs"
bash "$ROOT/scripts/make-busybox-rootfs.sh" "$TMP/busybox.tar" >/dev/null

B_SOCK="$TMP/berth.sock"
B_DATA="$TMP/data"
B_EXEC="$TMP/exec"
log "starting berthd on $B_SOCK"
node "$BERTHD_JS" -H "unix://$B_SOCK" --data-root "$B_DATA" --exec-root "$B_EXEC" ${BERTH_RUNTIME:+--runtime "$BERTH_RUNTIME"} \
  </dev/null >"$TMP/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_ping "$B_SOCK" "$BERTHD_PID" 15 || { tail -n 20 "$TMP/berthd.log" >&2; die "berthd did not start"; }
sleep 1 # let start-up settle before reading its memory
RSS_B_START="$(rss_kb "$BERTHD_PID")"
export BERTH_HOST="unix://$B_SOCK" DOCKER_HOST="unix://$B_SOCK"
timeout --foreground 120 node "$BERTH_JS" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null
RSS_B_IMPORT="$(rss_kb "$BERTHD_PID")"

log "starting dockerd (default configuration: bridge + iptables) on $D_SOCK"
mkdir -p "$D_DATA" "$D_EXEC"
rm -f "$D_SOCK" "$D_PIDFILE"
NETNS_WRAP=()
if [ "$DOCKERD_NETNS" = 1 ]; then
  log "DOCKERD_NETNS=1: dockerd runs in a network namespace of its own (docker0 and its iptables rules live there)"
  NETNS_WRAP=(unshare --net --)
fi
setsid "${NETNS_WRAP[@]}" "$DOCKERD" --data-root "$D_DATA" --exec-root "$D_EXEC" -H "unix://$D_SOCK" --pidfile "$D_PIDFILE" \
  </dev/null >"$TMP/dockerd.log" 2>&1 &
DOCKERD_PID=$!
wait_ping "$D_SOCK" "$DOCKERD_PID" 60 || { tail -n 20 "$TMP/dockerd.log" >&2; die "dockerd did not start"; }
CONTAINERD_PID="$(cat "$D_CONTAINERD_PIDFILE" 2>/dev/null || true)"
exe_is "${CONTAINERD_PID:-0}" containerd || { log "warning: no containerd of dockerd's own found"; CONTAINERD_PID=""; }
# docker0's ifindex as dockerd sees it (in its network namespace)
docker0_ifindex() { nsenter -t "$DOCKERD_PID" -n ip -o link show docker0 2>/dev/null | cut -d: -f1; }
DOCKER0_IFINDEX="$(docker0_ifindex)"
[ -n "$DOCKER0_IFINDEX" ] || die "dockerd did not create docker0 (see $RESULTS_DIR/dockerd-$STAMP.log)"
VALID=1
# docker0_intact WHEN — dockerd's bridge is still the one it created (a `--bridge none` dockerd deletes it)
docker0_intact() {
  if [ "$(docker0_ifindex)" != "$DOCKER0_IFINDEX" ]; then
    log "WARNING: docker0 was deleted or replaced $1 — probably a dockerd with --bridge none started meanwhile; the dockerd default-bridge figures are not valid (DOCKERD_NETNS=1 avoids this)"
    VALID=0
  fi
}
sleep 1
RSS_D_START="$(rss_kb "$DOCKERD_PID")"
timeout --foreground 120 "$DOCKER_CLI" -H "unix://$D_SOCK" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null
# Both daemons must run the containers (a failure here fails the run before any timing).
timeout --foreground 60 node "$BERTH_JS" run --rm busybox true
timeout --foreground 60 "$DOCKER_CLI" run --rm busybox true
timeout --foreground 60 "$DOCKER_CLI" -H "unix://$D_SOCK" run --rm busybox true
timeout --foreground 60 "$DOCKER_CLI" -H "unix://$D_SOCK" run --rm --network none busybox true

# ------------------------------------------------------------------------------------- idle memory

log "memory: $RSS_RUNS x berth run --rm busybox true, then one detached container each"
t0=$(date +%s%N)
for ((i = 0; i < RSS_RUNS; i++)); do timeout --foreground 60 node "$BERTH_JS" run --rm busybox true; done
t1=$(date +%s%N)
sleep 1
RSS_B_AFTER="$(rss_kb "$BERTHD_PID")"
cid="$(timeout --foreground 60 node "$BERTH_JS" run -d busybox sleep 60)"
sleep 0.5
CONMON_PID="$(cat "$B_EXEC/conmon/$cid/conmon.pid" 2>/dev/null || true)"
RSS_CONMON="$( [ -n "$CONMON_PID" ] && rss_kb "$CONMON_PID" || echo '?')"
timeout --foreground 60 node "$BERTH_JS" rm -f "$cid" >/dev/null

did="$(timeout --foreground 60 "$DOCKER_CLI" -H "unix://$D_SOCK" run -d busybox sleep 60)"
sleep 0.5
dpid="$(timeout --foreground 10 "$DOCKER_CLI" -H "unix://$D_SOCK" inspect -f '{{.State.Pid}}' "$did")"
SHIM_PID="$(ps -o ppid= -p "$dpid" | tr -d ' ')"
exe_is "$SHIM_PID" containerd-shim-runc-v2 || SHIM_PID=""
RSS_SHIM="$( [ -n "$SHIM_PID" ] && rss_kb "$SHIM_PID" || echo '?')"
RSS_D_AFTER="$(rss_kb "$DOCKERD_PID")"
RSS_CONTAINERD="$( [ -n "$CONTAINERD_PID" ] && rss_kb "$CONTAINERD_PID" || echo '?')"
timeout --foreground 60 "$DOCKER_CLI" -H "unix://$D_SOCK" rm -f "$did" >/dev/null

# ----------------------------------------------------------------------------------------- timing

JSON="$RESULTS_DIR/startup-$STAMP.json"
log "hyperfine: $RUNS runs after $WARMUP warmups each"
timeout --foreground -k 10 1800 hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$JSON" \
  -n 'a: berth run (berthd)' "node $BERTH_JS run --rm busybox true" \
  -n 'b: docker run (berthd)' "$DOCKER_CLI run --rm busybox true" \
  -n 'c: docker run (dockerd, default bridge)' "$DOCKER_CLI -H unix://$D_SOCK run --rm busybox true" \
  -n 'd: docker run --network none (dockerd)' "$DOCKER_CLI -H unix://$D_SOCK run --rm --network none busybox true" \
  -n 'n: node -e 0 (floor of a)' "node -e 0" \
  -n 'v: berth --version (CLI load, no daemon)' "node $BERTH_JS --version" || {
  rc=$?
  set +e
  log "hyperfine failed (status $rc); each command once more, with its output:"
  timeout --foreground 60 node "$BERTH_JS" run --rm busybox true; log "a: status $?"
  timeout --foreground 60 "$DOCKER_CLI" run --rm busybox true; log "b: status $?"
  timeout --foreground 60 "$DOCKER_CLI" -H "unix://$D_SOCK" run --rm busybox true; log "c: status $?"
  timeout --foreground 60 "$DOCKER_CLI" -H "unix://$D_SOCK" run --rm --network none busybox true; log "d: status $?"
  docker0_intact "(after the failure)"
  exit "$rc"
}
LOAD_AFTER_HYPERFINE="$(cut -d' ' -f1-3 /proc/loadavg)"
docker0_intact "during hyperfine"

log "daemon share (API level, warm client): berthd, then dockerd"
share() { # LABEL SOCKET FILE [--network MODE]
  local label="$1" sock="$2" file="$3"
  shift 3
  timeout --foreground -k 5 900 node "$SHARE_JS" --socket "$sock" --runs "$SHARE_RUNS" --warmup "$SHARE_WARMUP" --label "$label" --json "$file" "$@"
}
share berthd "$B_SOCK" "$RESULTS_DIR/share-berthd-$STAMP.json" | tee -a "$SUMMARY"
share 'dockerd default' "$D_SOCK" "$RESULTS_DIR/share-dockerd-$STAMP.json" | tee -a "$SUMMARY"
share 'dockerd' "$D_SOCK" "$RESULTS_DIR/share-dockerd-none-$STAMP.json" --network none | tee -a "$SUMMARY"
docker0_intact "during the daemon-share runs"
RSS_B_END="$(rss_kb "$BERTHD_PID")"
RSS_D_END="$(rss_kb "$DOCKERD_PID")"

# ---------------------------------------------------------------------------------------- summary

say ""
say "docker run --rm busybox true, hyperfine -N, $RUNS runs after $WARMUP warmups (ms):"
jq -r '.results[] | [.command, .median, .stddev, .mean, .min, .max, .user, .system] | map(if type == "number" then . * 1000 else . end) | @tsv' "$JSON" |
  awk -F'\t' 'BEGIN { printf "%-42s %7s %6s %7s %7s %7s %7s %7s\n", "command", "median", "σ", "mean", "min", "max", "user", "sys" }
    { printf "%-42s %7.1f %6.1f %7.1f %7.1f %7.1f %7.1f %7.1f\n", $1, $2, $3, $4, $5, $6, $7, $8 }' | tee -a "$SUMMARY"
say "(user/sys: mean CPU time of the CLI process and its children as hyperfine sees it — not the daemons')"
med() { jq -r --arg p "$1" '.results[] | select(.command | startswith($p)) | .median' "$JSON"; }
ma="$(med 'a:')" mb="$(med 'b:')" mc="$(med 'c:')" md="$(med 'd:')"
say ""
awk -v a="$ma" -v b="$mb" -v c="$mc" -v d="$md" 'BEGIN {
  printf "ratios of medians (target: a and b at most 0.5x dockerd)\n"
  printf "  a/c = %.2f  b/c = %.2f   (vs dockerd default bridge)\n", a / c, b / c
  printf "  a/d = %.2f  b/d = %.2f   (vs dockerd --network none)\n", a / d, b / d
  printf "  target a,b <= 0.5 x c: %s;  <= 0.5 x d: %s\n", (a <= 0.5 * c && b <= 0.5 * c) ? "met" : "NOT met", (a <= 0.5 * d && b <= 0.5 * d) ? "met" : "NOT met"
}' | tee -a "$SUMMARY"
say ""
say "resident memory (VmRSS, kB):"
rss_line() { printf '  %-40s %s\n' "$1" "$2" | tee -a "$SUMMARY"; }
rss_line "berthd after start-up" "$RSS_B_START"
rss_line "berthd after the busybox import" "$RSS_B_IMPORT"
rss_line "berthd after $RSS_RUNS x berth run --rm" "$RSS_B_AFTER   (the $RSS_RUNS runs took $(( (t1 - t0) / 1000000 )) ms)"
rss_line "berthd at the end of the bench" "$RSS_B_END"
rss_line "conmon of one running container" "$RSS_CONMON"
rss_line "dockerd after start-up" "$RSS_D_START"
rss_line "dockerd after import and a few runs" "$RSS_D_AFTER"
rss_line "dockerd at the end of the bench" "$RSS_D_END"
rss_line "its containerd" "$RSS_CONTAINERD"
rss_line "containerd-shim-runc-v2 of one container" "$RSS_SHIM"
say "load average after hyperfine: $LOAD_AFTER_HYPERFINE"
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
[ "$VALID" = 1 ] || say "INVALID RUN: docker0 was deleted or replaced during the measurements (see the log)"
say ""
say "results: $JSON, $RESULTS_DIR/share-*-$STAMP.json, $SUMMARY"
[ "$VALID" = 1 ] || { log "results INVALID: docker0 changed during the run"; exit 4; }
