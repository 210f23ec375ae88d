FROM busybox
STOPSIGNAL --whatever 9
