FROM busybox
EXPOSE 80 abc
