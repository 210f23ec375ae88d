FROM busybox
ENV A=1
ENV B=\$A C="\$A" D='$A' E=$$ F=$A$
