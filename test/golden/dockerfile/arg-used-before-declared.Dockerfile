FROM busybox
ENV A=${X}-x
ARG X=1
ENV B=${X}-y
