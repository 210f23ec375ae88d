FROM busybox
HEALTHCHECK --retries=x CMD true
