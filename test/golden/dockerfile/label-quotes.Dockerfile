FROM busybox
LABEL "com.example.vendor"="ACME Inc" version=1.0 desc="a \"quoted\" word"
LABEL multi.line="a \
b"
