FROM busybox
ARG A B=2 C="three"
RUN echo $A $B $C
