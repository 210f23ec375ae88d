FROM busybox
RUN --mount=type=foo,target=/x echo
