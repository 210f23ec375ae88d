FROM busybox
HEALTHCHECK --timeout=1x CMD true
