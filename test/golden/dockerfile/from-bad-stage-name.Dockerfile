FROM busybox AS 1abc
