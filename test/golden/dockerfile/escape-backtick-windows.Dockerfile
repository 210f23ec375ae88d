# escape=`
FROM busybox
RUN echo C:\Windows\System32 `
    && echo done
WORKDIR C:\app
