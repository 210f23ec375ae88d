FROM busybox
ARG OTHER=fallback
ENV A=${MISSING:-${OTHER}} B=${MISSING:-${ALSO:-deep}}
