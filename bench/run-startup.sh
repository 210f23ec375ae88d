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

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

# ------------------------------------------------------------------------------------------ helpers

# api SOCKET METHOD PATH — one request; prints the body; fails on non-2xx. Bounded by a 10 s timeout.
api() {
  node -e '
    const [sock, method, path] = process.argv.slice(1);
    const req = require("node:http").request({ socketPath: sock, method, path, timeout: 10000 }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => { process.stdout.write(Buffer.concat(chunks)); process.exit(res.statusCode < 300 ? 0 : 1); });
    });
    req.on("error", () => process.exit(2));
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.end();
  ' "$@"
}
ping() { api "$1" GET /_ping >/dev/null 2>&1; }

# wait_ping SOCKET PID SECONDS — until /_ping answers; fails if PID dies or time runs out.
wait_ping() {
  local i
  for ((i = 0; i < $3 * 10; i++)); do
    ping "$1" && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

alive() { kill -0 "$1" 2>/dev/null; }

# exe_is PID NAME — whether PID runs an executable named NAME
exe_is() { [ "$(basename "$(readlink "/proc/$1/exe" 2>/dev/null || true)")" = "$2" ]; }

# stop_pid PID SECONDS — SIGTERM, wait, then SIGKILL and wait (bounded)
stop_pid() {
  local pid="$1" n=$(($2 * 10)) i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < n; i++)); do alive "$pid" || return 0; sleep 0.1; done
  log "pid $pid still running after $2 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do alive "$pid" || return 0; sleep 0.1; done
  log "pid $pid survived SIGKILL"
  return 1
}

# rss_kb PID — VmRSS in kB
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# Mount points at or below any of the given directories, deepest first (mountinfo field 5, octal-escaped).
mounts_under() {
  awk '{print $5}' /proc/self/mountinfo |
    while IFS= read -r m; do printf '%b\n' "$m"; done |
    awk -v roots="$*" 'BEGIN { n = split(roots, r, " ") }
      { for (i = 1; i <= n; i++) if ($0 == r[i] || index($0, r[i] "/") == 1) { print length($0) "\t" $0; next } }' |
    sort -rn | cut -f2-
}

unmount_under() {
  local pass m
  for ((pass = 0; pass < 5; pass++)); do
    local any=0
    while IFS= read -r m; do
      [ -n "$m" ] || continue
      any=1
      umount -l "$m" 2>/dev/null || true
    done < <(mounts_under "$@")
    [ "$any" = 1 ] || return 0
  done
}

# Processes whose command line mentions a path below DIR/ — and all their descendants.
procs_under() {
  local dir="$1" p
  local -a seeds=()
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    [ "$p" = "$$" ] || [ "$p" = "$BASHPID" ] && continue
    if tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | grep -qF -- "$dir/"; then seeds+=("$p"); fi
  done
  [ "${#seeds[@]}" -gt 0 ] || return 0
  ps -eo pid=,ppid= | awk -v seeds="${seeds[*]}" -v self="$$" '
    BEGIN { n = split(seeds, s, " "); for (i = 1; i <= n; i++) mark[s[i]] = 1 }
    { kids[$2] = kids[$2] " " $1 }
    END {
      for (i = 1; i <= n; i++) queue[++q] = s[i]
      for (j = 1; j <= q; j++) {
        m = split(kids[queue[j]], k, " ")
        for (x = 1; x <= m; x++) if (!(k[x] in mark) && k[x] != self) { mark[k[x]] = 1; queue[++q] = k[x] }
      }
      for (p in mark) print p
    }'
}

# ------------------------------------------------------------------------- host state: snapshot, diff

# normalised iptables-save output: no comment lines, no [packets:bytes] counters
ipt_norm() { sed -e '/^#/d' -e 's/ \[[0-9]*:[0-9]*\]$//'; }
SYSCTLS=(net/ipv4/ip_forward net/ipv6/conf/all/forwarding net/ipv6/conf/default/forwarding
  net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables net/ipv4/conf/all/route_localnet)
PATHS=(/etc/docker /etc/docker/key.json /run/docker /run/docker/plugins "$HOME/.docker" /run/containerd
  "$D_DATA" "$D_EXEC" "$D_SOCK" "$D_PIDFILE")

snapshot() { # DIR
  local dir="$1" k p
  mkdir -p "$dir"
  iptables-save 2>/dev/null | ipt_norm >"$dir/iptables"
  ip6tables-save 2>/dev/null | ipt_norm >"$dir/ip6tables"
  if command -v iptables-legacy-save >/dev/null; then iptables-legacy-save 2>/dev/null | ipt_norm >"$dir/iptables-legacy"; fi
  if command -v nft >/dev/null; then
    nft list ruleset 2>/dev/null | sed -e 's/counter packets [0-9]* bytes [0-9]*/counter/' >"$dir/nft"
  fi
  ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort >"$dir/links"
  for k in "${SYSCTLS[@]}"; do
    if [ -e "/proc/sys/$k" ]; then printf '%s=%s\n' "$k" "$(cat "/proc/sys/$k")"; fi
  done >"$dir/sysctl"
  for p in "${PATHS[@]}" /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker; do
    if [ -e "$p" ]; then printf '%s\n' "$p"; fi
  done | sort -u >"$dir/paths"
  mounts_under "$D_DATA" "$D_EXEC" ${TMP:+"$TMP"} >"$dir/mounts"
}

# ipt_tabbed — iptables-save lines as "table<TAB>line", without *table/COMMIT lines
ipt_tabbed() { awk '/^\*/ { t = substr($0, 2); next } /^COMMIT/ { next } { print t "\t" $0 }'; }

# undo_iptables FAMILY — remove the Docker chains/rules that appeared since SNAP_BEFORE, restore changed
# policies of built-in chains, and delete tables that did not exist before and are empty again.
undo_iptables() {
  local fam="$1" save restore cmd nftfam
  case "$fam" in
    iptables) save=iptables-save restore=iptables-restore cmd=iptables nftfam=ip ;;
    ip6tables) save=ip6tables-save restore=ip6tables-restore cmd=ip6tables nftfam=ip6 ;;
  esac
  local before="$SNAP_BEFORE/$fam" w="$TMP/undo-$fam"
  mkdir -p "$w"
  ipt_tabbed <"$before" | sort >"$w/before"
  $save 2>/dev/null | ipt_norm | ipt_tabbed | sort >"$w/now"
  comm -13 "$w/before" "$w/now" >"$w/added"
  comm -23 "$w/before" "$w/now" >"$w/removed"
  [ -s "$w/added" ] || [ -s "$w/removed" ] || return 0

  # Added rules and user chains, Docker's only: rules in or jumping to DOCKER* chains or naming docker0.
  awk -F'\t' '
    $2 ~ /^-A / && $2 ~ /DOCKER|docker0/ { rules[$1] = rules[$1] "-D " substr($2, 4) "\n"; t[$1] = 1; next }
    $2 ~ /^:DOCKER[^ ]* - *$/ { split(substr($2, 2), c, " "); chains[$1] = chains[$1] "-X " c[1] "\n"; t[$1] = 1; next }
    $2 ~ /^:/ { next }
    { print "[bench] leaving a non-Docker " FILENAME " change alone: " $1 " " $2 > "/dev/stderr" }
    END { for (x in t) printf "*%s\n%s%sCOMMIT\n", x, rules[x], chains[x] }
  ' "$w/added" >"$w/restore"
  if [ -s "$w/restore" ]; then
    log "$fam: removing $(grep -c '^-D ' "$w/restore" || true) rule(s) and $(grep -c '^-X ' "$w/restore" || true) chain(s) dockerd added"
    if ! $restore --noflush <"$w/restore"; then
      log "$fam: $restore failed; input was:"
      cat "$w/restore" >&2
      FAILED_CLEANUP=1
    fi
  fi
  # Built-in chain policies that changed (e.g. FORWARD ACCEPT → DROP).
  local table chain policy
  while IFS=$'\t' read -r table line; do
    [[ "$line" =~ ^:([A-Z]+)\ ([A-Z]+)$ ]] || continue
    chain="${BASH_REMATCH[1]}" policy="${BASH_REMATCH[2]}"
    if grep -qP "^\Q$table\E\t:$chain (?!$policy\$)" "$w/added"; then
      log "$fam: restoring policy $table/$chain $policy"
      $cmd -t "$table" -P "$chain" "$policy" || FAILED_CLEANUP=1
    fi
  done <"$w/removed"
  # Tables that did not exist before and now hold nothing but built-in chains with policy ACCEPT.
  if $cmd -V 2>/dev/null | grep -q nf_tables; then
    local t
    for t in $($save 2>/dev/null | sed -n 's/^\*//p'); do
      grep -q "^\*$t\$" "$before" && continue
      if $save -t "$t" 2>/dev/null | ipt_norm | grep -v -e '^\*' -e '^COMMIT' | grep -qv -E '^:[A-Z]+ ACCEPT$'; then
        log "$fam: table $t is new but not empty; leaving it"
        continue
      fi
      log "$fam: deleting table $t (created by dockerd, empty again)"
      nft delete table "$nftfam" "$t" || FAILED_CLEANUP=1
    done
  fi
}

# PIDs of running dockerd processes (ours is stopped before this is asked)
other_dockerds() {
  local p out=""
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    if exe_is "$p" dockerd; then out="$out $p"; fi
  done
  printf '%s' "${out# }"
}

undo_host_changes() {
  local l k v p
  # Links dockerd added: docker0 and any veth left behind.
  ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort >"$TMP/links.now"
  for l in $(comm -13 "$SNAP_BEFORE/links" "$TMP/links.now"); do
    case "$l" in
      docker0 | veth*) log "deleting link $l"; ip link delete "$l" || FAILED_CLEANUP=1 ;;
      *) log "leaving new link $l alone (not dockerd's)" ;;
    esac
  done
  undo_iptables iptables
  undo_iptables ip6tables
  # sysctls it changed
  while IFS='=' read -r k v; do
    [ -e "/proc/sys/$k" ] || continue
    if [ "$(cat "/proc/sys/$k")" != "$v" ]; then
      log "restoring sysctl $k=$v"
      printf '%s\n' "$v" >"/proc/sys/$k" || FAILED_CLEANUP=1
    fi
  done <"$SNAP_BEFORE/sysctl"
  # Files and directories it created (only removed when empty, except the trust key it generated) —
  # unless another dockerd (someone else's) has started meanwhile and may be using them.
  local others
  others="$(other_dockerds)"
  if [ -n "$others" ]; then
    log "another dockerd is running (pid $others): leaving /etc/docker, /run/docker and cgroups alone"
    return 0
  fi
  if ! grep -qxF /etc/docker/key.json "$SNAP_BEFORE/paths"; then rm -f /etc/docker/key.json; fi
  for p in /etc/docker /run/docker/plugins /run/docker /sys/fs/cgroup/*/docker /sys/fs/cgroup/docker "$HOME/.docker"; do
    [ -d "$p" ] || continue
    grep -qxF "$p" "$SNAP_BEFORE/paths" && continue
    rmdir "$p" 2>/dev/null || log "cannot remove $p (not empty or in use)"
  done
}

# ---------------------------------------------------------------------------------------- cleanup

stop_berthd() {
  [ -n "$BERTHD_PID" ] || return 0
  log "stopping berthd (pid $BERTHD_PID)"
  stop_pid "$BERTHD_PID" 15 || FAILED_CLEANUP=1
  local p
  for p in $(procs_under "$TMP"); do
    log "killing leftover process $p ($(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-100))"
    kill -KILL "$p" 2>/dev/null || true
  done
}

stop_dockerd() {
  if [ -n "$DOCKERD_PID" ]; then
    CONTAINERD_PID="${CONTAINERD_PID:-$(cat "$D_CONTAINERD_PIDFILE" 2>/dev/null || true)}"
    log "stopping dockerd (pid $DOCKERD_PID)"
    stop_pid "$DOCKERD_PID" 30 || FAILED_CLEANUP=1
  fi
  if [ -n "$CONTAINERD_PID" ] && exe_is "$CONTAINERD_PID" containerd; then
    log "stopping its containerd (pid $CONTAINERD_PID)"
    stop_pid "$CONTAINERD_PID" 10 || FAILED_CLEANUP=1
  fi
  local p
  for p in /proc/[0-9]*; do
    p="${p#/proc/}"
    exe_is "$p" containerd-shim-runc-v2 || continue
    tr '\0' '\n' 2>/dev/null <"/proc/$p/cmdline" | grep -qxF -- "$D_CONTAINERD_SOCK" || continue
    log "stopping leftover shim (pid $p)"
    stop_pid "$p" 5 || FAILED_CLEANUP=1
  done
}

cleanup() {
  local rc=$?
  [ "$CLEANED" = 0 ] || return 0
  CLEANED=1
  set +e
  trap - INT TERM
  log "cleaning up"
  stop_berthd
  stop_dockerd
  if [ -n "$TMP" ]; then
    unmount_under "$TMP" "$D_DATA" "$D_EXEC"
    rm -rf "$D_EXEC"
    rm -f "$D_SOCK" "$D_PIDFILE"
    if [ "$KEEP_DOCKER_DATA" != 1 ] && ! grep -qxF "$D_DATA" "$SNAP_BEFORE/paths" 2>/dev/null; then rm -rf "$D_DATA"; fi
    [ -n "$SNAP_BEFORE" ] && [ -d "$SNAP_BEFORE" ] && undo_host_changes
    verify_clean || rc=3
    cp "$TMP/berthd.log" "$RESULTS_DIR/berthd-$STAMP.log" 2>/dev/null
    cp "$TMP/dockerd.log" "$RESULTS_DIR/dockerd-$STAMP.log" 2>/dev/null
    rm -rf "$TMP"
  fi
  if [ -d "$BUILD" ]; then
    rm -rf "$BUILD"
  fi
  [ "$FAILED_CLEANUP" = 0 ] || { log "some cleanup steps failed (see above)"; [ "$rc" != 0 ] || rc=3; }
  exit "$rc"
}

# The machine is as before: same firewall, links, sysctls, paths; no processes or mounts of ours left.
verify_clean() {
  local after="$TMP/snap-after" bad=0 f p
  snapshot "$after"
  [ "$KEEP_DOCKER_DATA" = 1 ] && sed -i "\#^$D_DATA\$#d" "$after/paths" "$SNAP_BEFORE/paths"
  # /run/docker/plugins is shared by every dockerd on the machine: whoever stops last removes it. Ours is
  # only to remove when it was absent before and no other dockerd runs now; otherwise leave it out.
  local others
  others="$(other_dockerds)"
  if [ -n "$others" ] || grep -qxF /run/docker "$SNAP_BEFORE/paths"; then
    if ! diff -q <(grep -x -e /run/docker -e /run/docker/plugins "$SNAP_BEFORE/paths") <(grep -x -e /run/docker -e /run/docker/plugins "$after/paths") >/dev/null; then
      log "note: /run/docker(/plugins) came or went with another dockerd (running now: ${others:-none}); not compared"
    fi
    sed -i -e '\#^/run/docker$#d' -e '\#^/run/docker/plugins$#d' "$after/paths" "$SNAP_BEFORE/paths"
  fi
  for f in iptables ip6tables iptables-legacy nft links sysctl paths mounts; do
    [ -e "$SNAP_BEFORE/$f" ] || continue
    if ! diff -u "$SNAP_BEFORE/$f" "$after/$f" >"$TMP/diff-$f"; then
      log "machine state differs from before: $f"
      cat "$TMP/diff-$f" >&2
      bad=1
    fi
  done
  if [ -n "$(mounts_under "$TMP" "$D_DATA" "$D_EXEC")" ]; then log "mounts left under the roots"; bad=1; fi
  for p in $BERTHD_PID $DOCKERD_PID $CONTAINERD_PID; do
    if alive "$p"; then log "process $p still running"; bad=1; fi
  done
  if [ -n "$(procs_under "$TMP")" ] || [ -n "$(procs_under "$D_EXEC")" ]; then
    log "processes left that name the bench roots: $(procs_under "$TMP") $(procs_under "$D_EXEC")"
    bad=1
  fi
  if [ "$bad" = 0 ]; then
    log "verified: iptables/ip6tables/nft, links, sysctls and paths as before; no leftover processes or mounts"
  fi
  return "$bad"
}

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
