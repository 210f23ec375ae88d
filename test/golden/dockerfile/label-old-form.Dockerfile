FROM busybox
ENV K=key
LABEL $K some value here
LABEL ${K}2="v"
