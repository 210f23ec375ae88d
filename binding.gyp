{
  "targets": [
    {
      "target_name": "berth_native",
      "sources": ["native/berth_native.c", "native/sha256_async.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
