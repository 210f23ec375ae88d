FROM busybox
ARG SET=val
ARG EMPTY=
ENV A=${SET:-d1} B=${EMPTY:-d2} C=${UNSET:-d3} D=${EMPTY-d4} E=${UNSET-d5}
ENV F=${SET:+p1} G=${EMPTY:+p2} H=${EMPTY+p3} I=${UNSET+p4}
