#!/usr/bin/env bash
# Pull/push benchmark for issue 5: an image with one ~670 MB layer (a copy of /usr/lib/x86_64-linux-gnu:
# real binaries and libraries, so it compresses like real images) plus three small ones, pushed to and
# pulled from Debian's docker-registry on 127.0.0.1, berthd against the reference dockerd, alternating in
# one run (see docs/bench.md).
#
#   bash bench/run-pull-push.sh          (as root, after `npm run build:ts`)
#
# Each round, for each engine (the order alternates between rounds): a fresh registry (empty storage),
# `docker load` of the image archive (not timed), `docker push` (timed), `docker rmi` of everything,
# `docker pull` (timed), `docker rmi`. The real docker CLI drives both engines. berthd's peak resident
# memory (VmHWM, reset before each timed step) is read after each step.
#
# The reference dockerd (scripts/dockerd-ref.sh; shared, never stopped here) runs in its own network
# namespace: the registry reaches it through a relay (a forwarder inside that namespace on the same
# 127.0.0.1:<port>, and a unix-socket hop back). berthd talks to the registry directly. The relay is
# measured too (a blob fetched both ways) so its cost can be judged.
#
# Environment: ROUNDS (3), BIG_DIR (/usr/lib/x86_64-linux-gnu), RESULTS_DIR (bench/results),
#   BERTHD_ARGS (extra berthd flags).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROUNDS="${ROUNDS:-3}"
BIG_DIR="${BIG_DIR:-/usr/lib/x86_64-linux-gnu}"
RESULTS_DIR="${RESULTS_DIR:-$ROOT/bench/results}"
BERTHD_ARGS="${BERTHD_ARGS:-}"
DOCKER_CLI=/usr/local/bin/docker
REGISTRY=/usr/bin/docker-registry
REF_SOCK=/run/docker-ref.sock
REF_PIDFILE=/run/docker-ref.pid
STAMP="$(date -u +%Y%m%dT%H%M%SZ)"
BUILD="$RESULTS_DIR/.build-pp-$$"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] error: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
[ -x "$REGISTRY" ] || die "$REGISTRY missing: apt-get install docker-registry"
[ -f "$ROOT/dist/src/cmd/berthd.js" ] || die "build first: npm run build:ts"
[ -d "$BIG_DIR" ] || die "$BIG_DIR missing (set BIG_DIR)"

TMP="$(mktemp -d /tmp/berth-bench-pp.XXXXXX)"
BERTHD_PID=""
REG_PID=""
FWD_PID=""
RELAY_PID=""
PORT=""
IMAGES_REF=()

stop_pid() { # PID — TERM, wait up to 10 s, KILL
  local pid="$1" i
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  set +e
  for img in "${IMAGES_REF[@]}"; do DOCKER_HOST="unix://$REF_SOCK" "$DOCKER_CLI" rmi -f "$img" >/dev/null 2>&1; done
  stop_pid "$FWD_PID"
  stop_pid "$RELAY_PID"
  stop_pid "$REG_PID"
  stop_pid "$BERTHD_PID"
  # berthd's snapshots are plain directories (no mounts without containers), but be safe.
  awk '{print $5}' /proc/self/mountinfo | grep "^$TMP/" | sort -r | xargs -r -n1 umount -l 2>/dev/null
  rm -rf "$TMP" "$BUILD"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------ the engines
bash "$ROOT/scripts/dockerd-ref.sh" start >&2
REF_PID="$(cat "$REF_PIDFILE")"

# A copy of the build, so a rebuild in the tree cannot change the code half-way through.
mkdir -p "$BUILD/dist" "$BUILD/build/Release"
cp -a "$ROOT/dist/src" "$BUILD/dist/"
cp -a "$ROOT/build/Release/berth_native.node" "$BUILD/build/Release/" 2>/dev/null || true
cp -a "$ROOT/package.json" "$BUILD/"
BERTH_SOCK="$TMP/berth.sock"
mkdir -p "$TMP/data" "$TMP/exec"
# shellcheck disable=SC2086
node "$BUILD/dist/src/cmd/berthd.js" -H "unix://$BERTH_SOCK" --data-root "$TMP/data" --exec-root "$TMP/exec" $BERTHD_ARGS \
  >"$RESULTS_DIR/berthd-pp-$STAMP.log" 2>&1 &
BERTHD_PID=$!
for ((i = 0; i < 100; i++)); do DOCKER_HOST="unix://$BERTH_SOCK" "$DOCKER_CLI" version >/dev/null 2>&1 && break; sleep 0.1; done

# ------------------------------------------------------------------------------ the image
log "building the image archive from $BIG_DIR"
IMG="$TMP/image"
mkdir -p "$IMG"
bash "$ROOT/scripts/make-busybox-rootfs.sh" "$IMG/l0.tar"
tar -cf "$IMG/l1.tar" -C / "${BIG_DIR#/}" 2>/dev/null || true
tar -cf "$IMG/l2.tar" -C / usr/share/doc/coreutils usr/share/doc/bash 2>/dev/null || true
printf 'bench\n' >"$TMP/marker"
tar -cf "$IMG/l3.tar" -C "$TMP" marker
node -e '
  const fs = require("fs"), path = require("path"), crypto = require("crypto");
  const dir = process.argv[1];
  const sha = (f) => { const h = crypto.createHash("sha256"); const fd = fs.openSync(f, "r"); const b = Buffer.alloc(1 << 22);
    for (let n; (n = fs.readSync(fd, b)) > 0;) h.update(b.subarray(0, n)); fs.closeSync(fd); return h.digest("hex"); };
  const layers = ["l0", "l1", "l2", "l3"].map((l) => { const hex = sha(path.join(dir, l + ".tar")); fs.mkdirSync(path.join(dir, hex));
    fs.renameSync(path.join(dir, l + ".tar"), path.join(dir, hex, "layer.tar")); return hex; });
  const config = JSON.stringify({ architecture: "amd64", os: "linux", created: "2024-01-01T00:00:00Z",
    config: { Cmd: ["sh"], Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
    rootfs: { type: "layers", diff_ids: layers.map((h) => "sha256:" + h) },
    history: layers.map(() => ({ created: "2024-01-01T00:00:00Z", created_by: "bench" })) });
  const cfg = crypto.createHash("sha256").update(config).digest("hex") + ".json";
  fs.writeFileSync(path.join(dir, cfg), config);
  fs.writeFileSync(path.join(dir, "manifest.json"), JSON.stringify([{ Config: cfg, RepoTags: ["bench/pullpush:src"], Layers: layers.map((h) => h + "/layer.tar") }]));
' "$IMG"
tar -cf "$TMP/image.tar" -C "$IMG" .
rm -rf "$IMG"
IMAGE_BYTES="$(tar -tvf "$TMP/image.tar" | awk '/layer.tar$/ {s += $3} END {print s}')"
log "image: $(numfmt --to=iec "$IMAGE_BYTES") of layers"

# ------------------------------------------------------------------------------ registry + relay
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT="$(free_port)"
REG_DIR=""
start_registry() {
  REG_DIR="$TMP/registry-$1"
  mkdir -p "$REG_DIR"
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$REG_DIR/data" "$PORT" >"$REG_DIR/config.yml"
  "$REGISTRY" serve "$REG_DIR/config.yml" >"$REG_DIR/log" 2>&1 &
  REG_PID=$!
  for ((i = 0; i < 100; i++)); do curl -fs "http://127.0.0.1:$PORT/v2/" >/dev/null && return 0; sleep 0.1; done
  die "registry did not start: $(cat "$REG_DIR/log")"
}
stop_registry() { stop_pid "$REG_PID"; REG_PID=""; rm -rf "$REG_DIR"; }

RELAY_SOCK="$TMP/relay.sock"
node -e '
  const net = require("net"); const [sock, port] = process.argv.slice(1);
  net.createServer((c) => { const t = net.connect(+port, "127.0.0.1"); c.pipe(t).pipe(c); c.on("error", () => t.destroy()); t.on("error", () => c.destroy()); }).listen(sock);
' "$RELAY_SOCK" "$PORT" &
RELAY_PID=$!
nsenter -t "$REF_PID" -n ip link set lo up
nsenter -t "$REF_PID" -n node -e '
  const net = require("net"); const [port, sock] = process.argv.slice(1);
  net.createServer((c) => { const u = net.connect(sock); c.pipe(u).pipe(c); c.on("error", () => u.destroy()); u.on("error", () => c.destroy()); }).listen(+port, "127.0.0.1");
' "$PORT" "$RELAY_SOCK" &
FWD_PID=$!
sleep 0.5

# ------------------------------------------------------------------------------ rounds
TSV="$RESULTS_DIR/pull-push-$STAMP.tsv"
printf 'round\tengine\top\tseconds\tcompressed_bytes\tberthd_hwm_kb\n' >"$TSV"
now() { date +%s.%N; }
hwm_reset() { echo 5 >"/proc/$BERTHD_PID/clear_refs"; }
hwm() { awk '/^VmHWM:/ {print $2}' "/proc/$BERTHD_PID/status"; }

# pushed_bytes NAME — the layer bytes of the manifest the registry holds for NAME (repo:tag)
pushed_bytes() {
  local repo="${1%:*}" tag="${1##*:}"
  curl -fs -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:$PORT/v2/${repo#*/}/manifests/$tag" |
    jq '[.layers[].size] | add'
}

one() { # ROUND ENGINE SOCKET
  local round="$1" engine="$2" sock="$3" name="127.0.0.1:$PORT/bench/$2:$1" t0 t1 bytes hw
  local d=(env DOCKER_HOST="unix://$sock" "$DOCKER_CLI")
  start_registry "$round-$engine"
  "${d[@]}" load -q -i "$TMP/image.tar" >/dev/null
  "${d[@]}" tag bench/pullpush:src "$name"
  [ "$engine" = dockerd ] && IMAGES_REF+=("$name" bench/pullpush:src)
  sync
  [ "$engine" = berth ] && hwm_reset
  t0="$(now)"
  "${d[@]}" push "$name" >"$TMP/push.out" || die "$engine push failed: $(tail -3 "$TMP/push.out")"
  t1="$(now)"
  hw="-"; [ "$engine" = berth ] && hw="$(hwm)"
  bytes="$(pushed_bytes "$name")"
  printf '%s\t%s\tpush\t%.2f\t%s\t%s\n' "$round" "$engine" "$(echo "$t1 - $t0" | bc)" "$bytes" "$hw" | tee -a "$TSV" >&2
  "${d[@]}" rmi "$name" bench/pullpush:src >/dev/null
  sync
  [ "$engine" = berth ] && hwm_reset
  t0="$(now)"
  "${d[@]}" pull "$name" >"$TMP/pull.out" || die "$engine pull failed: $(tail -3 "$TMP/pull.out")"
  t1="$(now)"
  hw="-"; [ "$engine" = berth ] && hw="$(hwm)"
  printf '%s\t%s\tpull\t%.2f\t%s\t%s\n' "$round" "$engine" "$(echo "$t1 - $t0" | bc)" "$bytes" "$hw" | tee -a "$TSV" >&2
  "${d[@]}" rmi "$name" >/dev/null
  stop_registry
}

for ((r = 1; r <= ROUNDS; r++)); do
  if ((r % 2)); then order=(berth dockerd); else order=(dockerd berth); fi
  for e in "${order[@]}"; do
    if [ "$e" = berth ]; then one "$r" berth "$BERTH_SOCK"; else one "$r" dockerd "$REF_SOCK"; fi
  done
done

# The relay's own cost: one big blob fetched directly and through the relay, from inside dockerd's namespace.
start_registry relay
DOCKER_HOST="unix://$BERTH_SOCK" "$DOCKER_CLI" load -q -i "$TMP/image.tar" >/dev/null
DOCKER_HOST="unix://$BERTH_SOCK" "$DOCKER_CLI" tag bench/pullpush:src "127.0.0.1:$PORT/bench/relay:1"
DOCKER_HOST="unix://$BERTH_SOCK" "$DOCKER_CLI" push "127.0.0.1:$PORT/bench/relay:1" >/dev/null
BIG_BLOB="$(curl -fs -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://127.0.0.1:$PORT/v2/bench/relay/manifests/1" | jq -r '.layers | max_by(.size) | .digest')"
t0="$(now)"; curl -fs -o /dev/null "http://127.0.0.1:$PORT/v2/bench/relay/blobs/$BIG_BLOB"; t1="$(now)"
DIRECT="$(echo "$t1 - $t0" | bc)"
t0="$(now)"; nsenter -t "$REF_PID" -n curl -fs -o /dev/null "http://127.0.0.1:$PORT/v2/bench/relay/blobs/$BIG_BLOB"; t1="$(now)"
RELAYED="$(echo "$t1 - $t0" | bc)"
stop_registry

# ------------------------------------------------------------------------------ summary
SUMMARY="$RESULTS_DIR/pull-push-summary-$STAMP.txt"
# moby inflates with unpigz when it is on the PATH (Debian's docker.io does not install pigz); berth with
# igzip (Debian's isal) for layers of 1 MiB and more. Both change the pull's time: say which ran.
DOCKERD_INFLATER="Go's gzip (no unpigz on the PATH)"
command -v unpigz >/dev/null && DOCKERD_INFLATER="unpigz ($(command -v unpigz))"
BERTH_INFLATER="Node's zlib (no igzip on the PATH)"
command -v igzip >/dev/null && BERTH_INFLATER="igzip ($(command -v igzip))"
node -e '
  const fs = require("fs");
  const [tsv, imageBytes, direct, relayed, inflater, berthInflater] = process.argv.slice(1);
  const rows = fs.readFileSync(tsv, "utf8").trim().split("\n").slice(1).map((l) => l.split("\t"));
  const med = (a) => { const s = [...a].sort((x, y) => x - y); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
  const pick = (e, op, i) => rows.filter((r) => r[1] === e && r[2] === op).map((r) => Number(r[i]));
  const mb = (b) => (b / 1e6).toFixed(0);
  const out = [];
  out.push(`image: ${mb(+imageBytes)} MB of layers (uncompressed); rounds: ${pick("berth", "push", 3).length}`);
  for (const op of ["push", "pull"]) {
    const b = med(pick("berth", op, 3)), d = med(pick("dockerd", op, 3));
    const cb = med(pick("berth", op, 4)), cd = med(pick("dockerd", op, 4));
    const hw = Math.max(...pick("berth", op, 5));
    out.push(`${op}: berth ${b.toFixed(2)} s (${(imageBytes / 1e6 / b).toFixed(0)} MB/s of layers, ${mb(cb)} MB compressed)` +
      ` | dockerd ${d.toFixed(2)} s (${(imageBytes / 1e6 / d).toFixed(0)} MB/s, ${mb(cd)} MB compressed)` +
      ` | ratio ${(b / d).toFixed(2)} | berthd peak RSS ${(hw / 1024).toFixed(0)} MiB`);
  }
  out.push(`relay cost: the biggest blob fetched directly ${(+direct).toFixed(2)} s, through the relay ${(+relayed).toFixed(2)} s`);
  out.push(`dockerd inflates pulled layers with ${inflater}; berth with ${berthInflater}`);
  console.log(out.join("\n"));
' "$TSV" "$IMAGE_BYTES" "$DIRECT" "$RELAYED" "$DOCKERD_INFLATER" "$BERTH_INFLATER" | tee "$SUMMARY"
log "results: $TSV, $SUMMARY"
