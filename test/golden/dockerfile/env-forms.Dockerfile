FROM busybox
ENV A=1 B="two words" C='single $A' D=three\ words
ENV OLD form with spaces $A
ENV E=$A F=${B}
