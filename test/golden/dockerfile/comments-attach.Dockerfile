# base image
# builder the build stage
FROM busybox AS builder

# not attached

RUN true
