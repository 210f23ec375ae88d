FROM busybox
RUN <<-EOT
	echo indented
		echo more
	EOT
