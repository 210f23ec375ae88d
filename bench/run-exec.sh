#!/usr/bin/env bash
# exec benchmark (issue 3): `exec c true` in a running `sleep` container, berth against the real dockerd,
# alternating the commands in one run on this machine (DESIGN.md "Performance: how it is measured").
#
#   bash bench/run-exec.sh           (as root, with the project built: npm run build)
#
# Commands, one of each per round, their order rotated every round:
#   A  berth exec C true           bin/berth (the bundled CLI with its code cache) → a fresh berthd
#   B  docker exec C true          the real docker CLI → the same berthd
#   C  docker exec C true          the real docker CLI → the reference dockerd 20.10 (/run/docker-ref.sock)
# and the floors, alternated the same way:
#   n  node -e 0                   Node's own start-up (floor of A)
#   v  berth --version             the berth CLI loading, no daemon call
#   r  runc exec <id> true         the OCI runtime alone, on berthd's container (floor of A and B)
# Then where the daemon's time goes, from a warm Node client (no CLI start-up), for berthd and dockerd:
#   create (POST /containers/{id}/exec → 201), start→101 (POST /exec/{id}/start, hijacked, until 101),
#   101→eof (the process ran and the stream closed), inspect (GET /exec/{id}/json), total;
# and, for berthd, `conmon --exec` + `runc exec` spawned directly by a warm Node process exactly as berthd
# spawns it (sync/start/attach pipes, attach socket): the runtime part of 101→eof without HTTP or berthd.
#
# The reference dockerd is shared with other people: started if it is not running, never stopped; the only
# thing created on it is one container, removed at the end. berthd runs on temp roots under
# /tmp/berth-bench-exec.* from a copy of the build, and is stopped by its PID; its leftovers (processes
# naming the temp root, mounts under it) are removed and checked. Exit status: 0 done; 1 a step failed;
# 3 something was left behind; 130 interrupted.
#
# Environment: RUNS (30 rounds), WARMUP (3 rounds), SHARE_RUNS (30), RESULTS_DIR (bench/results).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-30}"
WARMUP="${WARMUP:-3}"
SHARE_RUNS="${SHARE_RUNS:-30}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
DOCKER_CLI=/usr/local/bin/docker
REF_SOCK=/run/docker-ref.sock
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TMP=""
BERTHD_PID=""
B_SOCK=""
REF_CTR="berth-bench-exec-$$"
FAILED_CLEANUP=0

# lib.sh's helpers (log, die, ping, wait_ping, stop_pid, procs_under, mounts_under, unmount_under); its
# dockerd-bench paths are not used here (no dockerd of our own): empty.
D_DATA="" D_EXEC="" D_SOCK="" D_PIDFILE=""
# shellcheck source=bench/lib.sh
. "$ROOT/bench/lib.sh"

dk() { local s="$1"; shift; timeout -k 5 60 "$DOCKER_CLI" -H "unix://$s" "$@"; }

on_exit() {
  local rc=$?
  set +e
  trap - INT TERM
  log "cleaning up"
  ping "$REF_SOCK" && dk "$REF_SOCK" rm -f "$REF_CTR" >/dev/null 2>&1
  if [ -n "$TMP" ]; then
    [ -n "$B_SOCK" ] && ping "$B_SOCK" && dk "$B_SOCK" rm -f bench-exec >/dev/null 2>&1
    if [ -n "$BERTHD_PID" ]; then stop_pid "$BERTHD_PID" 15 || FAILED_CLEANUP=1; fi
    local p
    for p in $(procs_under "$TMP"); do
      log "killing leftover process $p ($(tr '\0' ' ' 2>/dev/null <"/proc/$p/cmdline" | cut -c1-100))"
      kill -KILL "$p" 2>/dev/null || true
    done
    for r in runc crun; do
      [ -d "$TMP/exec/$r" ] || continue
      for id in $(ls "$TMP/exec/$r"); do "$r" --root "$TMP/exec/$r" delete --force "$id" >/dev/null 2>&1; done
    done
    unmount_under "$TMP"
    if [ -n "$(mounts_under "$TMP")" ]; then log "mounts left under $TMP"; FAILED_CLEANUP=1; fi
    if [ -n "$(procs_under "$TMP")" ]; then log "processes left: $(procs_under "$TMP")"; FAILED_CLEANUP=1; fi
    cp "$TMP/berthd.log" "$RESULTS_DIR/berthd-exec-$STAMP.log" 2>/dev/null
    rm -rf "$TMP"
  fi
  if [ "$FAILED_CLEANUP" = 0 ]; then log "verified: berthd stopped, no processes or mounts of the run left"; else [ "$rc" != 0 ] || rc=3; fi
  exit "$rc"
}

# ---------------------------------------------------------------------------------------- preflight

[ "$(id -u)" = 0 ] || die "run as root"
[ -x "$DOCKER_CLI" ] || die "$DOCKER_CLI not found"
[ -f "$ROOT/dist/src/cmd/berthd.js" ] && [ -f "$ROOT/dist/berth.cjs" ] || die "berth is not built: npm run build:ts"
[ -f "$ROOT/build/Release/berth_native.node" ] || die "the native addon is not built: npm run build"
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 500 ] && [ "$SHARE_RUNS" -ge 1 ] && [ "$SHARE_RUNS" -le 500 ] || die "RUNS and SHARE_RUNS: 1..500"
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 (EPOCHREALTIME) needed"

mkdir -p "$RESULTS_DIR"
TMP="$(mktemp -d /tmp/berth-bench-exec.XXXXXX)"
trap on_exit EXIT
trap 'exit 130' INT TERM
BUILD="$TMP/build"
mkdir -p "$BUILD/dist" "$BUILD/build/Release" "$BUILD/bin"
cp -a "$ROOT/bin/berth" "$ROOT/bin/package.json" "$BUILD/bin/"
cp -a "$ROOT/dist/src" "$ROOT/dist/berth.cjs" "$BUILD/dist/"
cp -a "$ROOT/build/Release/berth_native.node" "$BUILD/build/Release/"
cp -a "$ROOT/package.json" "$BUILD/"
ln -s "$ROOT/node_modules" "$BUILD/node_modules" # berthd's npm dependencies

SUMMARY="$RESULTS_DIR/exec-summary-$STAMP.txt"
SAMPLES="$RESULTS_DIR/exec-$STAMP.tsv"
say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
printf 'what\tround\tms\n' >"$SAMPLES"

say "berth exec benchmark (issue 3), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(nproc) CPU ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), kernel $(uname -r)"
say "versions: node $(node -v), docker CLI $("$DOCKER_CLI" version --format '{{.Client.Version}}' 2>/dev/null), runc $(runc --version 2>/dev/null | head -1 | awk '{print $3}'), conmon $(conmon --version 2>/dev/null | head -1 | awk '{print $3}')"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
say "RUNS=$RUNS WARMUP=$WARMUP SHARE_RUNS=$SHARE_RUNS"

# --------------------------------------------------------------------------------- the two daemons

if ! ping "$REF_SOCK"; then
  log "starting the reference dockerd (scripts/dockerd-ref.sh start; it stays running)"
  bash "$ROOT/scripts/dockerd-ref.sh" start >&2
fi
ping "$REF_SOCK" || die "the reference dockerd does not answer on $REF_SOCK"
say "dockerd: $(dk "$REF_SOCK" version --format '{{.Server.Version}}' 2>/dev/null) (reference, $REF_SOCK)"

log "building the busybox rootfs"
bash "$ROOT/scripts/make-busybox-rootfs.sh" "$TMP/busybox.tar" >/dev/null
B_SOCK="$TMP/berth.sock"
log "starting berthd on $B_SOCK"
node "$BUILD/dist/src/cmd/berthd.js" -H "unix://$B_SOCK" --data-root "$TMP/data" --exec-root "$TMP/exec" </dev/null >"$TMP/berthd.log" 2>&1 &
BERTHD_PID=$!
wait_ping "$B_SOCK" "$BERTHD_PID" 15 || { tail -n 20 "$TMP/berthd.log" >&2; die "berthd did not start"; }
unset DOCKER_HOST BERTH_HOST
dk "$B_SOCK" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null
dk "$B_SOCK" run -d --name bench-exec busybox sleep 3600 >/dev/null
dk "$REF_SOCK" image inspect busybox:latest >/dev/null 2>&1 || dk "$REF_SOCK" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null
dk "$REF_SOCK" run -d --name "$REF_CTR" busybox sleep 3600 >/dev/null
B_ID="$(dk "$B_SOCK" inspect -f '{{.Id}}' bench-exec)"
REF_ID="$(dk "$REF_SOCK" inspect -f '{{.Id}}' "$REF_CTR")"
for s in "$B_SOCK bench-exec" "$REF_SOCK $REF_CTR"; do
  set -- $s
  [ "$(dk "$1" exec "$2" echo ok)" = ok ] || die "exec does not work on $1"
done

# ------------------------------------------------------------------------ 1. CLI wall times, alternated

declare -A CMD
CMD[A]="node $BUILD/bin/berth -H unix://$B_SOCK exec bench-exec true"
CMD[B]="$DOCKER_CLI -H unix://$B_SOCK exec bench-exec true"
CMD[C]="$DOCKER_CLI -H unix://$REF_SOCK exec $REF_CTR true"
CMD[n]="node -e 0"
CMD[v]="node $BUILD/bin/berth --version"
CMD[r]="runc --root $TMP/exec/runc exec $B_ID true"
ORDER=(A B C n v r)

# time_one KEY ROUND — runs the command once, records its wall time (µs resolution, no fork for the clock)
time_one() {
  local key="$1" round="$2" t0 t1
  t0="${EPOCHREALTIME/./}"
  # shellcheck disable=SC2086
  timeout -k 5 60 ${CMD[$key]} >/dev/null 2>"$TMP/err" || { cat "$TMP/err" >&2; die "$key failed: ${CMD[$key]}"; }
  t1="${EPOCHREALTIME/./}"
  [ "$round" -gt 0 ] && printf '%s\t%s\t%s\n' "$key" "$round" "$(awk -v d=$((t1 - t0)) 'BEGIN { printf "%.2f", d / 1000 }')" >>"$SAMPLES"
  return 0
}

log "1. ${#ORDER[@]} commands x $RUNS rounds (+$WARMUP warmup), alternating, order rotated each round"
for ((round = 1 - WARMUP; round <= RUNS; round++)); do
  n=${#ORDER[@]}
  off=$(((round + WARMUP) % n))
  for ((i = 0; i < n; i++)); do time_one "${ORDER[$(((i + off) % n))]}" "$round"; done
done

# ------------------------------------------------------------------ 2. where the daemon's time goes

cat >"$TMP/share.mjs" <<'EOF'
// API-level exec from a warm client: the calls `docker exec C true` makes, minus the CLI start-up.
import http from 'node:http';
const [sock, ctr, runs, warmup] = process.argv.slice(2);
const agent = new http.Agent({ keepAlive: true });
const T = 30_000;
function req(method, path, body) {
  return new Promise((res, rej) => {
    const r = http.request({ socketPath: sock, method, path, agent, timeout: T,
      headers: body ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {} }, (resp) => {
      const c = []; resp.on('data', (d) => c.push(d)); resp.on('end', () => resp.statusCode < 300 ? res(Buffer.concat(c).toString()) : rej(new Error(`${path}: ${resp.statusCode}`)));
    });
    r.on('timeout', () => r.destroy(new Error(`${path}: timeout`))); r.on('error', rej); r.end(body);
  });
}
function hijack(path, body) {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const r = http.request({ socketPath: sock, method: 'POST', path, timeout: T, headers: { Connection: 'Upgrade', Upgrade: 'tcp', 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } });
    r.on('upgrade', (_res, s) => { const t1 = performance.now(); s.on('data', () => {}); s.on('end', () => { res([t1 - t0, performance.now() - t1]); s.destroy(); }); s.resume(); });
    r.on('response', (resp) => rej(new Error(`start: ${resp.statusCode}`)));
    r.on('timeout', () => r.destroy(new Error('start: timeout'))); r.on('error', rej); r.end(body);
  });
}
const rows = [];
for (let i = 0; i < Number(runs) + Number(warmup); i++) {
  const t0 = performance.now();
  const { Id } = JSON.parse(await req('POST', `/v1.41/containers/${ctr}/exec`, JSON.stringify({ Cmd: ['true'], AttachStdout: true, AttachStderr: true })));
  const t1 = performance.now();
  const [up, eof] = await hijack(`/v1.41/exec/${Id}/start`, JSON.stringify({ Detach: false, Tty: false }));
  const t2 = performance.now();
  const s = JSON.parse(await req('GET', `/v1.41/exec/${Id}/json`));
  if (s.ExitCode !== 0) throw new Error(`exit code ${s.ExitCode}`);
  const t3 = performance.now();
  if (i >= Number(warmup)) rows.push({ create: t1 - t0, 'start->101': up, '101->eof': eof, inspect: t3 - t2, total: t3 - t0 });
}
const q = (k, p) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.floor(v.length * p))]; };
for (const k of Object.keys(rows[0])) console.log(`${k}\t${q(k, 0.5).toFixed(1)}\t${q(k, 0.9).toFixed(1)}`);
process.exit(0);
EOF

cat >"$TMP/runtime-share.mjs" <<'EOF'
// conmon --exec + runc exec, spawned from a warm Node process the way berthd does it (src/host/conmon-exec.ts,
// attach handshake included), without HTTP or berthd: pid reported → exit reported → conmon gone.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
const [build, execRoot, dataRoot, cid, runs, warmup] = process.argv.slice(2);
const { startConmonExec } = await import(pathToFileURL(path.join(build, 'dist/src/host/conmon-exec.js')).href);
const { SeqpacketSocket } = await import(pathToFileURL(path.join(build, 'dist/src/host/seqpacket.js')).href);
const spec = JSON.parse(readFileSync(path.join(dataRoot, 'containers', cid, 'bundle', 'config.json'), 'utf8')).process;
const rows = [];
for (let i = 0; i < Number(runs) + Number(warmup); i++) {
  const execId = `bench${String(i).padStart(59, '0')}`;
  const dir = path.join(execRoot, 'execs', execId);
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'process.json'), JSON.stringify({ ...spec, args: ['true'], terminal: false }));
  let io;
  const c = startConmonExec({ containerId: cid, execId, runtimePath: process.env.RUNC_PATH, runtimeRoot: path.join(execRoot, 'runc'), dir,
    processSpec: path.join(dir, 'process.json'), pidFile: path.join(dir, 'pid'), socketDir: path.join(execRoot, 'socks'),
    terminal: false, stdin: false, attach: true }, () => { io = new SeqpacketSocket(path.join(execRoot, 'socks', execId, 'attach')); io.resume(); });
  await c.pid;
  const t1 = performance.now();
  const code = await c.exitCode;
  const t2 = performance.now();
  await c.gone;
  const t3 = performance.now();
  io?.destroy();
  rmSync(dir, { recursive: true, force: true });
  rmSync(path.join(execRoot, 'socks', execId), { force: true });
  if (code !== 0) throw new Error(`exit code ${code}`);
  if (i >= Number(warmup)) rows.push({ 'spawn->pid': t1 - t0, 'pid->exit': t2 - t1, 'exit->gone': t3 - t2, total: t3 - t0 });
}
const q = (k, p) => { const v = rows.map((r) => r[k]).sort((a, b) => a - b); return v[Math.min(v.length - 1, Math.floor(v.length * p))]; };
for (const k of Object.keys(rows[0])) console.log(`${k}\t${q(k, 0.5).toFixed(1)}\t${q(k, 0.9).toFixed(1)}`);
process.exit(0);
EOF

log "2. API-level exec from a warm client, $SHARE_RUNS runs each; then conmon+runc alone"
timeout -k 5 300 node "$TMP/share.mjs" "$B_SOCK" bench-exec "$SHARE_RUNS" "$WARMUP" >"$TMP/share-berthd"
timeout -k 5 300 node "$TMP/share.mjs" "$REF_SOCK" "$REF_CTR" "$SHARE_RUNS" "$WARMUP" >"$TMP/share-dockerd"
RUNC_PATH="$(command -v runc)" timeout -k 5 300 node "$TMP/runtime-share.mjs" "$BUILD" "$TMP/exec" "$TMP/data" "$B_ID" "$SHARE_RUNS" "$WARMUP" >"$TMP/share-runtime"
dk "$B_SOCK" exec bench-exec true || die "berthd's exec broke after the runtime-only runs"

# ---------------------------------------------------------------------------------------- summary

med() { awk -F'\t' -v k="$1" '$1 == k { print $3 }' "$SAMPLES" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
p90() { awk -F'\t' -v k="$1" '$1 == k { print $3 }' "$SAMPLES" | sort -n | awk '{ v[NR] = $1 } END { i = int(NR * 0.9); if (i < 1) i = 1; print v[i] }'; }
say ""
say "1. wall time per command, ms ($RUNS rounds, alternated): median / p90"
for k in "${ORDER[@]}"; do
  case "$k" in
    A) l="A berth exec -> berthd" ;; B) l="B docker exec -> berthd" ;; C) l="C docker exec -> dockerd" ;;
    n) l="n node -e 0" ;; v) l="v berth --version" ;; r) l="r runc exec (alone)" ;;
  esac
  printf '  %-28s %8.1f / %8.1f\n' "$l" "$(med "$k")" "$(p90 "$k")" | tee -a "$SUMMARY"
done
awk -v a="$(med A)" -v b="$(med B)" -v c="$(med C)" 'BEGIN {
  printf "ratios of medians: A/C = %.2f (target <= 0.5: %s), B/C = %.2f\n", a / c, (a <= 0.5 * c) ? "met" : "NOT met", b / c }' | tee -a "$SUMMARY"
say ""
say "2. API level from a warm client (no CLI start-up), ms: median / p90"
printf '  %-12s %18s %18s\n' "" "berthd" "dockerd" | tee -a "$SUMMARY"
paste "$TMP/share-berthd" "$TMP/share-dockerd" | awk -F'\t' '{ printf "  %-12s %8s / %-7s %8s / %-7s\n", $1, $2, $3, $5, $6 }' | tee -a "$SUMMARY"
say "  berthd's runtime part alone (conmon --exec + runc exec from a warm Node process):"
awk -F'\t' '{ printf "  %-12s %8s / %-7s\n", $1, $2, $3 }' "$TMP/share-runtime" | tee -a "$SUMMARY"
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
say "results: $SAMPLES, $SUMMARY"
