#!/usr/bin/env bash
# The reference Docker Engine (Debian's docker.io, dockerd 20.10) beside berthd, for compat tests,
# benchmarks and "what does Docker do here?" questions. test/helpers/dockerd-ref.ts does the same from tests.
#
#   scripts/dockerd-ref.sh start    start it (if not running) and import busybox:latest
#   scripts/dockerd-ref.sh stop     stop it, its containerd and shims; unmount leftovers
#   scripts/dockerd-ref.sh status
#
# Then: DOCKER_HOST=unix:///run/docker-ref.sock /usr/local/bin/docker run --rm busybox echo hello world
#
# No bridge and no iptables: containers get only loopback (--network host works), and the host's
# firewall is left alone. dockerd starts its own containerd (under the exec root), since none is
# configured. Images persist in the data root between runs.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOCKET=/run/docker-ref.sock
PIDFILE=/run/docker-ref.pid
EXEC_ROOT=/run/docker-ref
DATA_ROOT=/var/lib/docker-ref
LOG=/var/log/docker-ref.log
CONTAINERD_PIDFILE="$EXEC_ROOT/containerd/containerd.pid"
CONTAINERD_SOCKET="$EXEC_ROOT/containerd/containerd.sock"

log() { printf '[dockerd-ref] %s\n' "$*"; }
die() { printf '[dockerd-ref] error: %s\n' "$*" >&2; exit 1; }

# api METHOD PATH [FILE] — one Engine API request over the socket; prints the body, fails on non-2xx.
api() {
  node -e '
    const [method, path, file] = process.argv.slice(1);
    const req = require("node:http").request(
      { socketPath: process.env.SOCK, method, path, timeout: 120000,
        headers: file ? { "Content-Type": "application/x-tar" } : {} },
      (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          const body = Buffer.concat(chunks).toString();
          process.stdout.write(body);
          const streamError = /"errorDetail"|"error":/.test(body) && method === "POST";
          process.exit(res.statusCode >= 200 && res.statusCode < 300 && !streamError ? 0 : 1);
        });
      });
    req.on("error", () => process.exit(2));
    req.on("timeout", () => req.destroy(new Error("timeout")));
    if (file) require("node:fs").createReadStream(file).pipe(req); else req.end();
  ' "$@"
}
ping() { SOCK="$SOCKET" api GET /_ping >/dev/null 2>&1; }

# pid_of FILE EXE_NAME — the pid in FILE if that process is alive and runs EXE_NAME
pid_of() {
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  [ "$(basename "$(readlink "/proc/$pid/exe" 2>/dev/null || true)")" = "$2" ] && printf '%s' "$pid"
  return 0
}

stop_pid() { # pid seconds — TERM, wait, then KILL
  local pid="$1" n=$(($2 * 10)) i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < n; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  log "pid $pid still running after $2 s: SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
}

# Mount points at or below the data and exec roots, deepest first (mountinfo field 5, octal-escaped).
leftover_mounts() {
  awk '{print $5}' /proc/self/mountinfo |
    while IFS= read -r m; do printf '%b\n' "$m"; done |
    awk -v a="$DATA_ROOT" -v b="$EXEC_ROOT" \
      '$0 == a || index($0, a "/") == 1 || $0 == b || index($0, b "/") == 1 { print length($0) "\t" $0 }' |
    sort -rn | cut -f2-
}

start() {
  command -v dockerd >/dev/null || die "dockerd not found: apt-get install docker.io"
  if ping; then
    log "already running on $SOCKET (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'))"
  else
    local pid
    pid="$(pid_of "$PIDFILE" dockerd)"
    if [ -z "$pid" ]; then
      mkdir -p "$DATA_ROOT" "$EXEC_ROOT" "$(dirname "$LOG")"
      rm -f "$SOCKET" "$PIDFILE"
      log "starting dockerd (log: $LOG)"
      # Own network namespace: with --bridge none dockerd would delete a host's docker0.
      setsid unshare --net -- dockerd --data-root "$DATA_ROOT" -H "unix://$SOCKET" --pidfile "$PIDFILE" \
        --exec-root "$EXEC_ROOT" --bridge none --iptables=false --ip6tables=false \
        </dev/null >>"$LOG" 2>&1 &
      pid=$!
    fi
    local i
    for ((i = 0; i < 300; i++)); do
      ping && break
      kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOG" >&2; die "dockerd exited during start-up"; }
      sleep 0.1
    done
    ping || { tail -n 20 "$LOG" >&2; die "dockerd did not answer /_ping within 30 s"; }
    log "running on $SOCKET (pid $pid)"
  fi

  # busybox:latest from the same deterministic rootfs tar berth uses: its sha256 is the layer diff ID.
  local tar want have
  tar="$(mktemp /tmp/docker-ref-busybox.XXXXXX.tar)"
  bash "$ROOT/scripts/make-busybox-rootfs.sh" "$tar"
  want="sha256:$(sha256sum "$tar" | cut -d' ' -f1)"
  have="$(SOCK="$SOCKET" api GET /images/busybox:latest/json 2>/dev/null | jq -c '.RootFS.Layers' 2>/dev/null || true)"
  if [ "$have" = "[\"$want\"]" ]; then
    log "busybox:latest is up to date"
  else
    log "importing busybox:latest"
    SOCK="$SOCKET" api POST '/images/create?fromSrc=-&repo=busybox&tag=latest&changes=CMD%20%5B%22sh%22%5D' "$tar" \
      >/dev/null || { rm -f "$tar"; die "import of busybox:latest failed"; }
  fi
  rm -f "$tar"
}

stop() {
  local pid cpid shims m
  pid="$(pid_of "$PIDFILE" dockerd)"
  cpid="$(pid_of "$CONTAINERD_PIDFILE" containerd)"
  if [ -n "$pid" ]; then
    log "stopping dockerd (pid $pid)"
    stop_pid "$pid" 30 # dockerd stops its running containers first (up to 15 s)
  else
    log "dockerd is not running"
  fi
  if [ -n "$cpid" ] && kill -0 "$cpid" 2>/dev/null; then
    log "stopping its containerd (pid $cpid)"
    stop_pid "$cpid" 10
  fi
  # Shims of this containerd only: their command line names its socket.
  shims="$(grep -lsF -- "$CONTAINERD_SOCKET" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3 || true)"
  for p in $shims; do
    [ "$(basename "$(readlink "/proc/$p/exe" 2>/dev/null || true)")" = containerd-shim-runc-v2 ] || continue
    log "stopping leftover shim (pid $p)"
    stop_pid "$p" 5
  done
  while IFS= read -r m; do
    [ -n "$m" ] || continue
    log "unmounting $m"
    umount -l "$m" 2>/dev/null || true
  done < <(leftover_mounts)
  rm -rf "$EXEC_ROOT"
  rm -f "$SOCKET" "$PIDFILE"
  # dockerd always creates /run/docker/plugins (plugin discovery); drop it if nothing else uses it.
  rmdir /run/docker/plugins /run/docker 2>/dev/null || true
}

status() {
  if ping; then
    log "running on $SOCKET (pid $(cat "$PIDFILE" 2>/dev/null || echo '?'))"
  else
    log "not running"
    return 3
  fi
}

[ "$(id -u)" = 0 ] || die "run as root"
case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
