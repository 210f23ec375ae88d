FROM busybox
RUN ["cat", "<<EOF"]
RUN echo done
