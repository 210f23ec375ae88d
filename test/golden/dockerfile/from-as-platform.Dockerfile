FROM --platform=linux/amd64 busybox:1.36 AS Builder
RUN true
FROM scratch
COPY --from=builder /bin/busybox /busybox
