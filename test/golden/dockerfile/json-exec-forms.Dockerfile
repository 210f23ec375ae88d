FROM busybox
RUN ["echo", "a b", "c\"d"]
CMD ["sh", "-c", "echo \u00e9"]
ENTRYPOINT ["/bin/sh"]
SHELL ["/bin/sh", "-ec"]
