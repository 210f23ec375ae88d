FROM busybox
RUN ["echo", "unterminated"
CMD [echo, nope]
ENTRYPOINT [ ]
