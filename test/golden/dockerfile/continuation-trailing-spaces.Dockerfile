FROM busybox
RUN echo a \   
    b
RUN echo c\\
RUN echo d
