FROM busybox
HEALTHCHECK --interval=5 CMD true
