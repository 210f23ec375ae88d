#!/usr/bin/env bash
# Installs berth on a fresh Debian 12 machine, as root. Safe to run again: each step skips what is done.
#
#   1. Debian packages (apt is skipped entirely when all are installed); no service is left running
#   2. npm dependencies (npm ci, skipped when node_modules matches the lockfile), then `npm run build`
#   3. /usr/local/bin/berth and /usr/local/bin/berthd → bin/ of this checkout
#   4. busybox:latest imported into berthd from Debian's busybox-static, then
#      `berth run --rm busybox echo hello world`
#
# Works without a terminal (CI=true, no stdin).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

log() { printf '[install] %s\n' "$*"; }
die() { printf '[install] error: %s\n' "$*" >&2; exit 1; }
quiet() { # runs "$@" with its output in a log, shown only if it fails
  local log_file
  log_file="$(mktemp /tmp/berth-install.XXXXXX.log)"
  if ! "$@" >"$log_file" 2>&1 </dev/null; then
    tail -n 60 "$log_file" >&2
    die "failed: $* (full log: $log_file)"
  fi
  rm -f "$log_file"
}

[ "$(id -u)" = 0 ] || die "run as root"
command -v node >/dev/null || die "node not found (Node 20 is required)"
command -v npm >/dev/null || die "npm not found"

PACKAGES=(runc conmon crun catatonit busybox-static iptables iproute2 hyperfine docker.io skopeo
  docker-registry jq tmux apache2-utils zstd bzip2 xz-utils isal)

# Services whose Debian init scripts the packages' postinst would start (invoke-rc.d), with the pid
# files those scripts (or dockerd itself) write. Debian's dockerd starts its own containerd, whose pid
# file lives under dockerd's exec root.
SERVICE_PIDFILES=(/run/docker-ssd.pid /run/docker.pid /run/docker/containerd/containerd.pid
  /run/docker-registry.pid)

# ---------------------------------------------------------------------------------------------- apt
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'; }

pidfile_pid() { # prints the pid in $1 if that process is alive
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && printf '%s' "$pid"
  return 0
}

stop_pid() { # TERM, wait up to 10 s, then KILL
  local pid="$1" i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

missing=()
for p in "${PACKAGES[@]}"; do installed "$p" || missing+=("$p"); done

if [ ${#missing[@]} -gt 0 ]; then
  log "apt: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive

  # Remember which service pids exist now, so that afterwards only what the install started is stopped.
  declare -A before=()
  for f in "${SERVICE_PIDFILES[@]}"; do before[$f]="$(pidfile_pid "$f")"; done

  # Keep maintainer scripts from starting services (the usual policy-rc.d "101: action forbidden").
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# temporary, from berth scripts/install.sh\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 0755 /usr/sbin/policy-rc.d
    made_policy=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi

  quiet apt-get update -qq -o DPkg::Lock::Timeout=300
  quiet apt-get install -y -qq --no-install-recommends -o Dpkg::Options::=--force-confdef \
    -o Dpkg::Options::=--force-confold -o DPkg::Lock::Timeout=300 "${missing[@]}"

  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi

  # The reference dockerd and docker-registry are started by tests and benchmarks on their own sockets
  # and ports, never at boot: take the services of the packages just installed out of the boot sequence.
  # (containerd comes with docker.io and has only a systemd unit.)
  for p in "${missing[@]}"; do
    case "$p" in
      docker.io) svcs=(docker) units=(docker.service docker.socket containerd.service) ;;
      docker-registry) svcs=(docker-registry) units=(docker-registry.service) ;;
      *) continue ;;
    esac
    for svc in "${svcs[@]}"; do
      if [ -x "/etc/init.d/$svc" ]; then update-rc.d "$svc" disable >/dev/null 2>&1 || true; fi
    done
    if [ -d /run/systemd/system ] && command -v systemctl >/dev/null; then
      systemctl disable -q "${units[@]}" >/dev/null 2>&1 || true
    fi
    log "apt: ${svcs[*]} will not start at boot"
  done

  # Stop whatever the postinst scripts started anyway (a pid that was not there before we ran apt).
  for f in "${SERVICE_PIDFILES[@]}"; do
    pid="$(pidfile_pid "$f")"
    if [ -n "$pid" ] && [ "$pid" != "${before[$f]}" ]; then
      log "apt: stopping $(cat /proc/"$pid"/comm 2>/dev/null || echo process) (pid $pid from $f) started by the package"
      stop_pid "$pid"
    fi
  done
else
  log "apt: all packages already installed"
fi

# ---------------------------------------------------------------------------------------------- npm
# node-gyp cannot download headers here: build against the system's (/usr/include/node).
if [ -f /usr/include/node/node_api.h ]; then export npm_config_nodedir=/usr; fi

stamp_file=node_modules/.berth-install-stamp
stamp="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1) $(node --version)"
if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
  log "npm: node_modules is up to date"
else
  if [ -f package-lock.json ]; then
    log "npm: npm ci"
    quiet npm ci --no-audit --no-fund
  else
    log "npm: npm install (no package-lock.json)"
    quiet npm install --no-audit --no-fund
    stamp="$(cat package.json package-lock.json 2>/dev/null | sha256sum | cut -d' ' -f1) $(node --version)"
  fi
  printf '%s' "$stamp" >"$stamp_file"
fi

log "build: npm run build"
quiet npm run build

# -------------------------------------------------------------------------------------------- links
for b in berth berthd; do
  chmod +x "bin/$b"
  if [ "$(readlink "/usr/local/bin/$b" 2>/dev/null || true)" != "$ROOT/bin/$b" ]; then
    log "link: /usr/local/bin/$b -> $ROOT/bin/$b"
    ln -sfn "$ROOT/bin/$b" "/usr/local/bin/$b"
  fi
done

# ---------------------------------------------------------------------------------- busybox image
if [ ! -f dist/src/cmd/berth.js ] || [ ! -f dist/src/cmd/berthd.js ]; then
  log "busybox: skipped, the build has no dist/src/cmd/berth.js or berthd.js yet"
  log "done (without the busybox image)"
  exit 0
fi

BERTH="$ROOT/bin/berth"
# A berthd already serving the default socket may be another checkout's (or an older build's).
running="$(cat /run/berth/berthd.pid 2>/dev/null || true)"
if [[ "$running" =~ ^[0-9]+$ ]] && [ -r "/proc/$running/cmdline" ]; then
  ours=0
  while IFS= read -r -d '' arg; do
    case "$(readlink -f -- "$arg" 2>/dev/null || true)" in "$ROOT"/*) ours=1 ;; esac
  done <"/proc/$running/cmdline"
  [ "$ours" = 1 ] || log "warning: the running berthd (pid $running) is not from $ROOT; stop it to use this build"
fi

rootfs="$(mktemp /tmp/berth-busybox-rootfs.XXXXXX.tar)"
trap 'rm -f "$rootfs"' EXIT
bash scripts/make-busybox-rootfs.sh "$rootfs"
# The tar is deterministic, so its sha256 is the layer's diff ID: re-import only when it changed.
want="sha256:$(sha256sum "$rootfs" | cut -d' ' -f1)"
have="$("$BERTH" image inspect --format '{{json .RootFS.Layers}}' busybox:latest 2>/dev/null </dev/null || true)"
if [ "$have" = "[\"$want\"]" ]; then
  log "busybox: busybox:latest is up to date"
else
  log "busybox: importing busybox:latest (berth starts berthd if none is running)"
  "$BERTH" import -c 'CMD ["sh"]' "$rootfs" busybox:latest >/dev/null </dev/null
fi
rm -f "$rootfs"
trap - EXIT

log "check: berth run --rm busybox echo hello world"
out="$("$BERTH" run --rm busybox echo hello world </dev/null)"
[ "$out" = "hello world" ] || die "expected \"hello world\", got: $out"
printf '%s\n' "$out"
log "done"
