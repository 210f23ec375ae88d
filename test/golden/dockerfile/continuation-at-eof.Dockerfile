FROM busybox
RUN echo a \
