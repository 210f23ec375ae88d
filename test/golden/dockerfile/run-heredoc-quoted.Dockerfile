FROM busybox
RUN python3 <<'PY'
print("$HOME")
PY
RUN 3<<EOF cat /dev/fd/3
fd three
EOF
