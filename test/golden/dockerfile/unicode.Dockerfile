FROM busybox
LABEL description="café ☕ 日本"
ENV 名前=値
RUN echo "über"
