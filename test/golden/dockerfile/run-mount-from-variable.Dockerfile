FROM busybox
ARG S=busybox
RUN --mount=from=$S,target=/x echo
