#!/usr/bin/env bash
# Builds a busybox root filesystem tar from Debian's busybox-static (/bin/busybox):
# bin/busybox, one relative symlink per applet, /etc/passwd, /etc/group and the usual empty dirs.
# Deterministic: two runs on the same busybox binary give the same bytes.
#
#   scripts/make-busybox-rootfs.sh OUT.tar
#
# BUSYBOX=/path/to/busybox overrides the binary (must be statically linked).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 OUT.tar" >&2
  exit 2
fi

BUSYBOX="${BUSYBOX:-/bin/busybox}"
if [ ! -x "$BUSYBOX" ]; then
  echo "$0: $BUSYBOX not found (apt-get install busybox-static)" >&2
  exit 1
fi
if ! "$BUSYBOX" --list-full >/dev/null 2>&1; then
  echo "$0: $BUSYBOX does not support --list-full" >&2
  exit 1
fi

export LC_ALL=C
umask 022

out="$1"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
mkdir -p "$(dirname "$out")"

stage="$(mktemp -d "${TMPDIR:-/tmp}/berth-busybox.XXXXXX")"
tmp_out="$(mktemp "$(dirname "$out")/.busybox-rootfs.XXXXXX")"
cleanup() { rm -rf "$stage"; rm -f "$tmp_out"; }
trap cleanup EXIT

cd "$stage"
mkdir -p bin sbin usr/bin usr/sbin etc dev proc sys home var var/spool/mail var/www root tmp
chmod 0755 bin sbin usr usr/bin usr/sbin etc dev proc sys home var var/spool var/spool/mail var/www
chmod 0700 root
chmod 1777 tmp

install -m 0755 "$BUSYBOX" bin/busybox

# One symlink per applet, relative so the tree is also usable from outside a container.
"$BUSYBOX" --list-full | sort -u | while IFS= read -r applet; do
  case "$applet" in
    */*) ;;          # bin/sh, usr/bin/env, sbin/init …
    *) continue ;;   # linuxrc: not part of a container image
  esac
  [ "$applet" = bin/busybox ] && continue
  dir="$(dirname "$applet")"
  mkdir -p "$dir"
  if [ "$dir" = bin ]; then
    target=busybox
  else
    # ../ once per path component of dir, then bin/busybox
    target="$(printf '%s' "$dir" | sed -e 's#[^/][^/]*#..#g')/bin/busybox"
  fi
  ln -sfn "$target" "$applet"
done

cat > etc/passwd <<'EOF'
root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
EOF

cat > etc/group <<'EOF'
root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
kmem:x:9:
wheel:x:10:root
cdrom:x:11:
dialout:x:18:
floppy:x:19:
video:x:28:
audio:x:29:
tape:x:32:
www-data:x:33:
operator:x:37:
utmp:x:43:
plugdev:x:46:
staff:x:50:
lock:x:54:
netdev:x:82:
users:x:100:
nogroup:x:65534:
EOF
chmod 0644 etc/passwd etc/group

# Top-level names without "./", sorted; tar sorts everything below them.
# shellcheck disable=SC2046
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=gnu \
  -cf "$tmp_out" $(ls -A | sort)
chmod 0644 "$tmp_out"
mv -f "$tmp_out" "$out"
