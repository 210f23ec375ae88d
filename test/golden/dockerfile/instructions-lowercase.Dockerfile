from busybox as base
run echo hi
copy a b
