# syntax=docker/dockerfile:1.4
# escape=`
# a comment
FROM busybox
