ARG PLATFORM=linux/arm64
ARG IMG=busybox
FROM --platform=$PLATFORM ${IMG} AS base
