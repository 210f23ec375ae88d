FROM busybox
ARG NAME=world
COPY <<EOF /hello.txt
hello ${NAME}
EOF
COPY <<"EOF" /raw.txt
hello ${NAME}
EOF
