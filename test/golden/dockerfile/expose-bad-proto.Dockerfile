FROM busybox
EXPOSE 80/xyz
