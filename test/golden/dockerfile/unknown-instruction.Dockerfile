FROM busybox
FOOBAR x y
