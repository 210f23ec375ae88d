#!/usr/bin/env bash
# Builder benchmark for issue 4: berth against the reference dockerd 20.10 with the classic builder
# (DOCKER_BUILDKIT=0), in one run on this machine, alternating the two each repetition.
#
#   bash bench/run-build.sh          (as root, with berth built: npm run build)
#
# 1. Fully cached rebuild of a build with a large context: SIZE_MB (670) of random data in FILES (4000)
#    files, Dockerfile `FROM busybox / COPY . /app / RUN ls /app | wc -l`. Built once on each engine, then
#    REPS (3) timed rebuilds each, every step from the cache (checked). Timed: `berth build` → berthd,
#    `docker build` → dockerd, and `docker build` → berthd (the same CLI, so only the daemon differs).
#    Target (issue 4): berth ≤ 0.2× dockerd.
# 2. Cold build of a small multi-stage project (a few source files, a builder stage producing an artifact,
#    a final stage copying it): REPS builds with --no-cache each. Target: ≤ 0.7× dockerd.
#
# Daemons: a fresh berthd on temp roots (/tmp/berth-bench-build.*, from a copy of the build) with busybox
# imported; the shared reference dockerd of scripts/dockerd-ref.sh (started if it is not running, never
# stopped; other people use it). Only what this script creates is removed afterwards: its images on
# dockerd (tagged bench-build-*, and the intermediate images under them), berthd and its roots.
# Results: bench/results/build-<stamp>.tsv and build-summary-<stamp>.txt.
#
# Environment: SIZE_MB (670), FILES (4000), REPS (3), RESULTS_DIR (bench/results).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_MB="${SIZE_MB:-670}"
FILES="${FILES:-4000}"
REPS="${REPS:-3}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
DOCKER_CLI=/usr/local/bin/docker
REF_SOCK=/run/docker-ref.sock
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
TAG="bench-build-$(printf %s "$STAMP" | tr A-Z a-z)-$$"
TMP=""
BERTHD_PID=""
REF_IMAGES=()

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ping_sock() { curl -sf --max-time 5 --unix-socket "$1" http://x/_ping >/dev/null 2>&1; }

cleanup() {
  local rc=$?
  set +e
  if [ "${#REF_IMAGES[@]}" -gt 0 ]; then
    log "removing this run's images from dockerd"
    DOCKER_HOST="unix://$REF_SOCK" timeout 120 "$DOCKER_CLI" rmi -f "${REF_IMAGES[@]}" >/dev/null 2>&1
    # The builder stage's images (untagged, labelled with the run; listed newest, i.e. children, first).
    local stage
    stage="$(DOCKER_HOST="unix://$REF_SOCK" timeout 60 "$DOCKER_CLI" images -aq --filter "label=org.berth.bench.run=$TAG" 2>/dev/null)"
    # shellcheck disable=SC2086
    [ -z "$stage" ] || DOCKER_HOST="unix://$REF_SOCK" timeout 120 "$DOCKER_CLI" rmi -f $stage >/dev/null 2>&1
  fi
  if [ -n "$BERTHD_PID" ] && kill -0 "$BERTHD_PID" 2>/dev/null; then
    log "stopping berthd (pid $BERTHD_PID)"
    kill -TERM "$BERTHD_PID"
    for _ in $(seq 150); do kill -0 "$BERTHD_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$BERTHD_PID" 2>/dev/null
  fi
  if [ -n "$TMP" ]; then
    # Anything still mounted under the roots (nothing, normally) goes before the roots do.
    awk '{print $5}' /proc/self/mountinfo | grep -F "$TMP/" | sort -r | while read -r m; do umount -l "$m"; done
    rm -rf "$TMP"
  fi
  exit "$rc"
}

[ "$(id -u)" = 0 ] || die "run as root"
[ -x "$DOCKER_CLI" ] || die "$DOCKER_CLI not found"
[ -f "$ROOT/dist/src/cmd/berthd.js" ] && [ -f "$ROOT/dist/berth.cjs" ] || die "berth is not built: npm run build:ts"
[ -f "$ROOT/build/Release/berth_native.node" ] || die "the native addon is not built: npm run build"
[ "$REPS" -ge 1 ] && [ "$REPS" -le 20 ] || die "REPS must be 1..20"
[ "$SIZE_MB" -ge 1 ] && [ "$SIZE_MB" -le 4096 ] && [ "$FILES" -ge 1 ] && [ "$FILES" -le 100000 ] || die "SIZE_MB 1..4096, FILES 1..100000"
ping_sock "$REF_SOCK" || bash "$ROOT/scripts/dockerd-ref.sh" start >&2
ping_sock "$REF_SOCK" || die "the reference dockerd does not answer on $REF_SOCK"

mkdir -p "$RESULTS_DIR"
TMP="$(mktemp -d /tmp/berth-bench-build.XXXXXX)"
trap cleanup EXIT
trap 'exit 130' INT TERM

# A copy of the build, so a rebuild in the tree during the run cannot change the code being measured.
BUILD="$TMP/build"
mkdir -p "$BUILD/dist" "$BUILD/build/Release" "$BUILD/bin"
cp -a "$ROOT/bin/berth" "$ROOT/bin/package.json" "$BUILD/bin/"
cp -a "$ROOT/dist/src" "$ROOT/dist/berth.cjs" "$BUILD/dist/"
cp -a "$ROOT/build/Release/berth_native.node" "$BUILD/build/Release/"
ln -s "$ROOT/node_modules" "$BUILD/node_modules"
ln -s "$ROOT/package.json" "$BUILD/package.json"
BERTH="$BUILD/bin/berth"

SUMMARY="$RESULTS_DIR/build-summary-$STAMP.txt"
SAMPLES="$RESULTS_DIR/build-$STAMP.tsv"
say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
printf 'bench\tside\trep\tms\n' >"$SAMPLES"
say "berth builder benchmark (issue 4), $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "machine: $(nproc) CPU ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), kernel $(uname -r)"
say "versions: node $(node -v), dockerd $(DOCKER_HOST="unix://$REF_SOCK" "$DOCKER_CLI" version --format '{{.Server.Version}}' 2>/dev/null), docker CLI $("$DOCKER_CLI" version --format '{{.Client.Version}}' 2>/dev/null)"
say "SIZE_MB=$SIZE_MB FILES=$FILES REPS=$REPS; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# ------------------------------------------------------------------------------------------ berthd

B_SOCK="$TMP/berth.sock"
log "starting berthd on $B_SOCK"
node "$BUILD/dist/src/cmd/berthd.js" -H "unix://$B_SOCK" --data-root "$TMP/data" --exec-root "$TMP/exec" </dev/null >"$TMP/berthd.log" 2>&1 &
BERTHD_PID=$!
for _ in $(seq 150); do ping_sock "$B_SOCK" && break; kill -0 "$BERTHD_PID" 2>/dev/null || break; sleep 0.1; done
ping_sock "$B_SOCK" || { tail -n 20 "$TMP/berthd.log" >&2; die "berthd did not start"; }
bash "$ROOT/scripts/make-busybox-rootfs.sh" "$TMP/busybox.tar" >/dev/null
BERTH_HOST="unix://$B_SOCK" timeout 120 "$BERTH" import -c 'CMD ["sh"]' "$TMP/busybox.tar" busybox:latest >/dev/null

# timed SAMPLE-NAME SIDE REP DIR ARGS… — one build, timed, its output kept; fails the run if it fails.
timed() {
  local bench="$1" side="$2" rep="$3" dir="$4" t0 t1 rc
  shift 4
  t0=$(now_ms)
  set +e
  case "$side" in
    berth) (cd "$dir" && BERTH_HOST="unix://$B_SOCK" timeout 600 "$BERTH" build "$@" .) >"$TMP/out" 2>&1 ;;
    docker-berthd) (cd "$dir" && DOCKER_BUILDKIT=0 DOCKER_HOST="unix://$B_SOCK" timeout 600 "$DOCKER_CLI" build "$@" .) >"$TMP/out" 2>&1 ;;
    dockerd) (cd "$dir" && DOCKER_BUILDKIT=0 DOCKER_HOST="unix://$REF_SOCK" timeout 600 "$DOCKER_CLI" build "$@" .) >"$TMP/out" 2>&1 ;;
  esac
  rc=$?
  set -e
  t1=$(now_ms)
  [ "$rc" = 0 ] || { tail -n 20 "$TMP/out" >&2; die "$bench: $side build failed"; }
  printf '%s\t%s\t%s\t%s\n' "$bench" "$side" "$rep" $((t1 - t0)) >>"$SAMPLES"
  log "$bench $side rep $rep: $((t1 - t0)) ms"
}

summary() { # BENCH TARGET
  local b d x
  b="$(awk -F'\t' -v n="$1" '$1 == n && $2 == "berth" { print $4 }' "$SAMPLES" | median)"
  x="$(awk -F'\t' -v n="$1" '$1 == n && $2 == "docker-berthd" { print $4 }' "$SAMPLES" | median)"
  d="$(awk -F'\t' -v n="$1" '$1 == n && $2 == "dockerd" { print $4 }' "$SAMPLES" | median)"
  say ""
  say "$1 (median of $REPS, ms): berth → berthd $b, docker → berthd $x, docker → dockerd $d"
  say "  ratio berth/dockerd $(awk -v a="$b" -v c="$d" 'BEGIN { printf "%.2f", a / c }') (target ≤ $2), docker→berthd/dockerd $(awk -v a="$x" -v c="$d" 'BEGIN { printf "%.2f", a / c }')"
}

# -------------------------------------------------------------------------- 1. large cached rebuild

BIG="$TMP/big"
log "writing a ${SIZE_MB} MB context in $FILES files"
node -e '
  const fs = require("fs"), crypto = require("crypto"), path = require("path");
  const [dir, mb, files] = [process.argv[1], Number(process.argv[2]), Number(process.argv[3])];
  const per = Math.floor((mb << 20) / files), dirs = Math.ceil(files / 100);
  for (let i = 0; i < files; i++) {
    const d = path.join(dir, "d" + (i % dirs));
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, "f" + i + ".bin"), crypto.randomBytes(per));
  }
  fs.writeFileSync(path.join(dir, "Dockerfile"), "FROM busybox\nCOPY . /app\nRUN ls /app | wc -l\n");
' "$BIG" "$SIZE_MB" "$FILES"
REF_IMAGES+=("$TAG-big")
timed big-first berth 0 "$BIG" -q -t "$TAG-big"
timed big-first dockerd 0 "$BIG" -q -t "$TAG-big"
for rep in $(seq "$REPS"); do
  timed big-cached dockerd "$rep" "$BIG" -t "$TAG-big"
  grep -q 'Step 3/3' "$TMP/out" && [ "$(grep -c 'Using cache' "$TMP/out")" = 2 ] || die "dockerd rebuild was not cached"
  timed big-cached berth "$rep" "$BIG" -t "$TAG-big"
  [ "$(grep -c 'Using cache' "$TMP/out")" = 2 ] || die "berth rebuild was not cached"
  timed big-cached docker-berthd "$rep" "$BIG" -t "$TAG-big"
  [ "$(grep -c 'Using cache' "$TMP/out")" = 2 ] || die "berthd rebuild (docker CLI) was not cached"
done
summary big-cached 0.2

# ---------------------------------------------------------------------------- 2. small cold build

SMALL="$TMP/small"
mkdir -p "$SMALL/src" "$SMALL/assets"
for i in $(seq 20); do printf 'int f%d(void) { return %d; }\n' "$i" "$i" >"$SMALL/src/f$i.c"; done
head -c 200000 /dev/urandom >"$SMALL/assets/blob.bin"
printf 'node_modules\n*.log\n' >"$SMALL/.dockerignore"
# The builder stage's images carry the run's label, so they can be found and removed from dockerd after.
cat >"$SMALL/Dockerfile" <<'EOF'
FROM busybox AS build
ARG BENCH_RUN
LABEL org.berth.bench.run=$BENCH_RUN
WORKDIR /src
COPY src/ ./src/
COPY assets ./assets
RUN mkdir -p /out && tar -cf /out/app.tar src assets && md5sum /out/app.tar > /out/app.md5
RUN wc -l src/*.c | tail -1 > /out/lines

FROM busybox
LABEL org.example.bench=build
COPY --from=build /out/ /app/
WORKDIR /app
ENV APP_HOME=/app
CMD ["cat", "/app/lines"]
EOF
for rep in $(seq "$REPS"); do
  REF_IMAGES+=("$TAG-small-$rep")
  timed small-cold dockerd "$rep" "$SMALL" --no-cache -q -t "$TAG-small-$rep" --build-arg BENCH_RUN="$TAG"
  timed small-cold berth "$rep" "$SMALL" --no-cache -q -t "$TAG-small-$rep" --build-arg BENCH_RUN="$TAG"
  timed small-cold docker-berthd "$rep" "$SMALL" --no-cache -q -t "$TAG-small-$rep" --build-arg BENCH_RUN="$TAG"
done
summary small-cold 0.7

say ""
say "samples: $SAMPLES"
