#!/usr/bin/env bash
# save/load benchmark (issue 5): an image of ~670 MB (one big layer of random, incompressible data over
# busybox, plus three small layers) saved to a file and loaded back from it; berthd vs the reference dockerd
# 20.10 in one run, alternating (see docs/bench.md and DESIGN.md "Performance: how it is measured").
#
#   bash bench/run-save-load.sh            (as root, with the project built: npm run build)
#
# The image is built locally on both daemons the same way: `import` of one tar (busybox rootfs +
# /data/big.bin), then three `run` + `commit` steps adding ~1 MB each. Per repetition (RUNS, default 3),
# alternating the engines at each step:
#   save   `berth save -o FILE IMG`, `docker save -o FILE IMG` against berthd, `docker save -o FILE IMG`
#          against dockerd;
#   load   the image is removed (rmi, all its layers go), then `... load -i FILE` of that engine's own
#          archive. berthd's background removal of snapshot directories is waited for before timing.
# Before each timed step: `sync`, so no engine pays for the other's writeback. Reported: median seconds,
# MB/s (archive bytes / time), ratios against dockerd, and berthd's peak RSS (VmHWM) over the whole run.
#
# Daemons: a fresh berthd (temp roots under /var/tmp/berth-bench-sl.*, from a copy of the build) and the
# shared reference dockerd on /run/docker-ref.sock (started with scripts/dockerd-ref.sh if it is not
# running, never stopped). On dockerd only this run's images (berth-bench-sl-<pid>:*) and containers are
# created, and they are removed at the end whatever happens.
#
# Environment: RUNS (3), BIG_MB (640: size of the random file, MiB), RESULTS_DIR (bench/results).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${RUNS:-3}"
BIG_MB="${BIG_MB:-640}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
DOCKER_CLI=/usr/local/bin/docker
REF_SOCK=/run/docker-ref.sock
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
REPO="berth-bench-sl-$$"
IMG="$REPO:final"
TMP=""
BUILD=""
BERTHD_PID=""
B_SOCK=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
alive() { kill -0 "$1" 2>/dev/null; }
ping_sock() {
  node -e 'const r=require("node:http").request({socketPath:process.argv[1],path:"/_ping",timeout:2000},(s)=>process.exit(s.statusCode===200?0:1));r.on("error",()=>process.exit(1));r.on("timeout",()=>process.exit(1));r.end()' "$1"
}
dk() { local s="$1"; shift; timeout -k 5 600 "$DOCKER_CLI" -H "unix://$s" "$@"; }
bt() { BERTH_HOST="unix://$B_SOCK" timeout -k 5 600 node "$BUILD/bin/berth" "$@"; }
now_ns() { date +%s%N; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if ping_sock "$REF_SOCK"; then
    dk "$REF_SOCK" rm -f "$REPO-c1" "$REPO-c2" "$REPO-c3" >/dev/null 2>&1
    dk "$REF_SOCK" rmi -f "$IMG" "$REPO:l2" "$REPO:l1" "$REPO:l0" >/dev/null 2>&1
    left="$(dk "$REF_SOCK" images -q "$REPO" 2>/dev/null)"
    [ -z "$left" ] || log "warning: images of $REPO left on dockerd: $left"
  fi
  if [ -n "$BERTHD_PID" ] && alive "$BERTHD_PID"; then
    kill -TERM "$BERTHD_PID"
    for _ in $(seq 150); do alive "$BERTHD_PID" || break; sleep 0.1; done
    alive "$BERTHD_PID" && kill -KILL "$BERTHD_PID"
  fi
  if [ "$rc" != 0 ] && [ -f "$TMP/berthd.log" ]; then
    cp "$TMP/berthd.log" "$RESULTS_DIR/save-load-berthd-$STAMP.log" && log "berthd's log: $RESULTS_DIR/save-load-berthd-$STAMP.log"
  fi
  if [ -n "$TMP" ]; then
    # containers of this berthd are gone with --rm/rm; lazily unmount anything left under the temp root
    awk '{print $5}' /proc/self/mountinfo | grep "^$TMP/" | sort -r | xargs -r -n1 umount -l 2>/dev/null
    rm -rf "$TMP"
  fi
  [ -n "$BUILD" ] && rm -rf "$BUILD"
  exit "$rc"
}

# ---------------------------------------------------------------------------------------- preflight

[ "$(id -u)" = 0 ] || die "run as root"
[ -x "$DOCKER_CLI" ] || die "$DOCKER_CLI not found"
command -v jq >/dev/null || die "jq not found"
[ -f "$ROOT/dist/src/cmd/berthd.js" ] && [ -f "$ROOT/dist/berth.cjs" ] || die "berth is not built: npm run build:ts"
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 20 ] || die "RUNS must be 1..20"
[ "$BIG_MB" -ge 1 ] && [ "$BIG_MB" -le 4096 ] || die "BIG_MB must be 1..4096"
avail_mb=$(df -Pm /var/tmp | awk 'NR == 2 {print $4}')
[ "$avail_mb" -gt $((BIG_MB * 10)) ] || die "not enough space in /var/tmp: ${avail_mb} MB, need $((BIG_MB * 10))"

mkdir -p "$RESULTS_DIR"
TMP="$(mktemp -d /var/tmp/berth-bench-sl.XXXXXX)"
BUILD="$TMP/build"
trap cleanup EXIT
trap 'exit 130' INT TERM

if ! ping_sock "$REF_SOCK"; then
  log "starting the reference dockerd (scripts/dockerd-ref.sh start; it stays running)"
  bash "$ROOT/scripts/dockerd-ref.sh" start >&2
fi

# a copy of the build, so a rebuild in the tree during the run cannot change the code being measured
mkdir -p "$BUILD/dist" "$BUILD/build/Release" "$BUILD/bin"
cp -a "$ROOT/bin/berth" "$ROOT/bin/package.json" "$BUILD/bin/"
cp -a "$ROOT/dist/src" "$ROOT/dist/berth.cjs" "$BUILD/dist/"
[ -f "$ROOT/build/Release/berth_native.node" ] && cp -a "$ROOT/build/Release/berth_native.node" "$BUILD/build/Release/"
ln -s "$ROOT/node_modules" "$BUILD/node_modules"
cp "$ROOT/package.json" "$BUILD/"

SUMMARY="$RESULTS_DIR/save-load-summary-$STAMP.txt"
SAMPLES="$RESULTS_DIR/save-load-$STAMP.tsv"
say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
printf 'engine\trep\top\tseconds\tbytes\n' >"$SAMPLES"

say "berth save/load benchmark (issue 5), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(nproc) CPU ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
say "versions: node $(node -v), dockerd $(dk "$REF_SOCK" version --format '{{.Server.Version}}'), docker CLI $("$DOCKER_CLI" version --format '{{.Client.Version}}' 2>/dev/null)"
say "RUNS=$RUNS BIG_MB=$BIG_MB; temp and data roots in $(df -P /var/tmp | awk 'NR == 2 {print $1}')"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------------ the image

log "making the image tar: busybox rootfs + /data/big.bin ($BIG_MB MiB of random bytes)"
bash "$ROOT/scripts/make-busybox-rootfs.sh" "$TMP/rootfs.tar" >/dev/null
mkdir -p "$TMP/extra/data"
head -c "$((BIG_MB * 1048576))" /dev/urandom >"$TMP/extra/data/big.bin"
tar -rf "$TMP/rootfs.tar" -C "$TMP/extra" --owner=0 --group=0 data
rm -rf "$TMP/extra"

B_SOCK="$TMP/berth.sock"
log "starting berthd on $B_SOCK"
node "$BUILD/dist/src/cmd/berthd.js" -H "unix://$B_SOCK" --data-root "$TMP/data" --exec-root "$TMP/exec" \
  </dev/null >"$TMP/berthd.log" 2>&1 &
BERTHD_PID=$!
for _ in $(seq 150); do ping_sock "$B_SOCK" && break; alive "$BERTHD_PID" || break; sleep 0.1; done
ping_sock "$B_SOCK" || { tail -n 20 "$TMP/berthd.log" >&2; die "berthd did not start"; }

build_image() { # SOCKET — import, then three run + commit layers of ~1 MB
  local s="$1" n
  dk "$s" import -c 'CMD ["sh"]' "$TMP/rootfs.tar" "$REPO:l0" >/dev/null
  for n in 1 2 3; do
    dk "$s" run --name "$REPO-c$n" "$REPO:l$((n - 1))" sh -c "head -c 1000000 /dev/urandom > /small$n" >/dev/null
    dk "$s" commit "$REPO-c$n" "$([ "$n" = 3 ] && echo "$IMG" || echo "$REPO:l$n")" >/dev/null
    dk "$s" rm "$REPO-c$n" >/dev/null
  done
  # Only the final image stays: then rmi of it removes every layer, and load has all of them to make.
  dk "$s" rmi "$REPO:l0" "$REPO:l1" "$REPO:l2" >/dev/null
}
log "building the image on berthd and on dockerd"
build_image "$B_SOCK"
build_image "$REF_SOCK"
B_ID="$(dk "$B_SOCK" image inspect --format '{{.Id}}' "$IMG")"
D_ID="$(dk "$REF_SOCK" image inspect --format '{{.Id}}' "$IMG")"
say "image: $(dk "$B_SOCK" image inspect --format '{{len .RootFS.Layers}} layers, {{.Size}} bytes' "$IMG") (berthd); $(dk "$REF_SOCK" image inspect --format '{{len .RootFS.Layers}} layers, {{.Size}} bytes' "$IMG") (dockerd)"

# berthd deletes removed snapshot directories in the background: wait until it has.
snapshots_settled() {
  local want have
  for _ in $(seq 600); do
    want="$(jq '.snapshots | length' "$TMP/data/snapshots/metadata.json")"
    have="$(find "$TMP/data/snapshots" -mindepth 1 -maxdepth 1 -name '[0-9]*' | wc -l)"
    [ "$want" = "$have" ] && return 0
    sleep 0.1
  done
  die "berthd's snapshot directories were not deleted within 60 s"
}

# timed ENGINE REP OP FILE CMD… — runs CMD after a sync, records seconds and the archive's size
timed() {
  local engine="$1" rep="$2" op="$3" file="$4" t0 t1 secs bytes
  shift 4
  sync
  t0=$(now_ns)
  "$@" >"$TMP/out" 2>&1 || { cat "$TMP/out" >&2; die "$engine $op failed"; }
  t1=$(now_ns)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
  bytes=$(stat -c %s "$file")
  printf '%s\t%s\t%s\t%s\t%s\n' "$engine" "$rep" "$op" "$secs" "$bytes" >>"$SAMPLES"
  log "$engine rep $rep: $op $secs s ($(awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / 1e6 / s }') MB/s)"
}

check_id() { # SOCKET WANT
  local got
  got="$(dk "$1" image inspect --format '{{.Id}}' "$IMG")"
  [ "$got" = "$2" ] || die "after load on $1: image ID $got, expected $2"
}

rmi_berth() { dk "$B_SOCK" rmi "$IMG" >/dev/null; snapshots_settled; }

log "warm-up: one save and load on each engine (not counted)"
bt save -o "$TMP/berth.tar" "$IMG"; rmi_berth; bt load -q -i "$TMP/berth.tar" >/dev/null; check_id "$B_SOCK" "$B_ID"
dk "$REF_SOCK" save -o "$TMP/dockerd.tar" "$IMG"; dk "$REF_SOCK" rmi "$IMG" >/dev/null
dk "$REF_SOCK" load -q -i "$TMP/dockerd.tar" >/dev/null; check_id "$REF_SOCK" "$D_ID"

for rep in $(seq "$RUNS"); do
  rm -f "$TMP"/*.tar
  timed berth "$rep" save "$TMP/berth.tar" bt save -o "$TMP/berth.tar" "$IMG"
  timed dockerd "$rep" save "$TMP/dockerd.tar" dk "$REF_SOCK" save -o "$TMP/dockerd.tar" "$IMG"
  timed docker-cli-berthd "$rep" save "$TMP/dcli.tar" dk "$B_SOCK" save -o "$TMP/dcli.tar" "$IMG"

  rmi_berth
  timed berth "$rep" load "$TMP/berth.tar" bt load -q -i "$TMP/berth.tar"
  check_id "$B_SOCK" "$B_ID"
  dk "$REF_SOCK" rmi "$IMG" >/dev/null
  timed dockerd "$rep" load "$TMP/dockerd.tar" dk "$REF_SOCK" load -q -i "$TMP/dockerd.tar"
  check_id "$REF_SOCK" "$D_ID"
  rmi_berth
  timed docker-cli-berthd "$rep" load "$TMP/dcli.tar" dk "$B_SOCK" load -q -i "$TMP/dcli.tar"
  check_id "$B_SOCK" "$B_ID"
done

# Still runnable after all that.
[ "$(dk "$B_SOCK" run --rm "$IMG" sh -c 'wc -c < /small3')" = 1000000 ] || die "the loaded image does not run on berthd"

# ---------------------------------------------------------------------------------------- summary

stat_of() { # ENGINE OP — median seconds
  awk -F'\t' -v e="$1" -v o="$2" '$1 == e && $3 == o {print $4}' "$SAMPLES" | median
}
size_of() { awk -F'\t' -v e="$1" -v o="$2" '$1 == e && $3 == o {print $5; exit}' "$SAMPLES"; }

say ""
say "$(printf '%-20s %-5s %10s %10s %12s  %s' engine op median_s MB/s archive_MB "runs (s)")"
for op in save load; do
  for e in berth docker-cli-berthd dockerd; do
    m=$(stat_of "$e" "$op")
    b=$(size_of "$e" "$op")
    runs=$(awk -F'\t' -v e="$e" -v o="$op" '$1 == e && $3 == o {printf "%s ", $4}' "$SAMPLES")
    say "$(printf '%-20s %-5s %10s %10.0f %12.0f  %s' "$e" "$op" "$m" "$(awk -v b="$b" -v s="$m" 'BEGIN { print b / 1e6 / s }')" "$(awk -v b="$b" 'BEGIN { print b / 1e6 }')" "$runs")"
  done
done
say ""
for op in save load; do
  d=$(stat_of dockerd "$op")
  say "$op ratio of medians: berth CLI / dockerd = $(awk -v a="$(stat_of berth "$op")" -v b="$d" 'BEGIN { printf "%.2f", a / b }'), docker CLI on berthd / dockerd = $(awk -v a="$(stat_of docker-cli-berthd "$op")" -v b="$d" 'BEGIN { printf "%.2f", a / b }') (target <= 0.5)"
done
say "berthd memory: peak RSS (VmHWM) $(($(kib "$BERTHD_PID" VmHWM) / 1024)) MiB over the run, now (VmRSS) $(($(kib "$BERTHD_PID" VmRSS) / 1024)) MiB"
say "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
say "samples: $SAMPLES"
