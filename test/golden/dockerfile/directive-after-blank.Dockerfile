
# escape=`
FROM busybox
