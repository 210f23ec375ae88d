FROM busybox
ENV B=${A:?A must be set}
