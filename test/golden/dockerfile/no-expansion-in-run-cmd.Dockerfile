FROM busybox
ENV A=1
RUN echo $A
CMD echo $A
ENTRYPOINT ["echo", "$A"]
ONBUILD RUN echo $A
MAINTAINER $A
