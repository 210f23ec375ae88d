FROM busybox AS tools
FROM busybox AS other
FROM busybox
ARG T=/t
RUN --mount=from=tools,target=$T,type=${KIND:-bind} ls /t
