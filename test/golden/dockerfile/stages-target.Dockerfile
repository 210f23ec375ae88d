FROM busybox AS base
RUN echo base
FROM busybox AS unused
RUN echo unused
FROM base AS build
COPY --from=0 /etc/passwd /p
FROM scratch AS final
COPY --from=build /p /p
FROM busybox AS after
