FROM busybox
RUN --network=bridge echo
