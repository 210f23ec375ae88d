FROM busybox
RUN <<EOF
echo one
echo two
EOF
RUN cat <<A <<B > /out
first
A
second
B
