FROM busybox
ARG A=
WORKDIR /x/${A:?}
