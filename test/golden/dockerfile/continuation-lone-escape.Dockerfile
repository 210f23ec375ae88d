FROM busybox
RUN echo a \
\
  b
	RUN echo tabbed
ENV A=1 \
    B=2
LABEL a=b \
# comment inside
      c=d
