FROM busybox
runn echo
