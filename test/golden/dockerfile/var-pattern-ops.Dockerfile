FROM busybox
ARG P=a/b/c.tar.gz
ENV S=${P#*/} L=${P##*/} X=${P%.*} Y=${P%%.*} R=${P/\//_} G=${P//\//_}
