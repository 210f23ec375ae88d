FROM busybox
RUN echo hello
CMD ["sh"]
