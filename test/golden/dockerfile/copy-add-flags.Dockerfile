FROM busybox AS src
FROM busybox
COPY --from=src --chown=1000:1000 --chmod=755 --link a b /dest/
ADD --chown=app --keep-git-dir=true --checksum=sha256:abc https://example.com/x.tar.gz /x
COPY ["with space", "/dst dir/"]
ADD --link=false a /a
