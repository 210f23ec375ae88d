FROM busybox
RUN --mount=type=cache,target=/root/.cache,id=pip,sharing=locked,mode=0755,uid=1000,gid=1000 \
    --mount=type=bind,from=busybox,source=/bin,target=/mnt/bin,rw \
    --mount=type=tmpfs,target=/tmp,size=64m \
    --mount=type=secret,id=token,required \
    --network=none \
    echo hi
