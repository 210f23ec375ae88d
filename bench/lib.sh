# Shared shell helpers for the bench scripts that run berthd and the real dockerd side by side
# (run-startup.sh, run-containers.sh). Source it AFTER setting:
#   D_DATA D_EXEC D_SOCK D_PIDFILE D_CONTAINERD_PIDFILE D_CONTAINERD_SOCK   dockerd's bench roots
#   TMP SNAP_BEFORE BERTHD_PID DOCKERD_PID CONTAINERD_PID CLEANED FAILED_CLEANUP
#   RESULTS_DIR STAMP BUILD KEEP_DOCKER_DATA
# (PATHS below is expanded when the file is sourced.) Provides log/die, api/ping/wait_ping, stop_pid,
# mounts_under/unmount_under, procs_under, snapshot/undo_host_changes/verify_clean, stop_berthd/stop_dockerd
# and cleanup (the EXIT trap).
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
