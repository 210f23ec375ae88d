# a comment first
# escape=`
FROM busybox
RUN echo a\
  b
