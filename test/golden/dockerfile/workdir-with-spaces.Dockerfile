FROM busybox
WORKDIR /my app/dir
USER  nobody 
