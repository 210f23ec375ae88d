FROM busybox
ARG U=app
ENV D=/data
WORKDIR $D/work
USER ${U}:${U}
VOLUME $D ["/other"]
VOLUME ["$D/json"]
STOPSIGNAL SIG${SIG:-TERM}
EXPOSE ${PORT:-80}/tcp 443
