// SHA-256 whose updates run on libuv's thread pool, so hashing a layer (a gigabyte for a pull: the
// compressed blob and the tar) overlaps the main thread's work instead of taking a third of it.
// The functions are OpenSSL's, as exported by the node binary itself (the same code Node's crypto
// uses, SHA extensions included).
//
//   sha256Create(): handle    sha256Update(handle, buffers[]): Promise<void>    sha256Digest(handle): hex
//
// The caller runs one update at a time per handle (each waits for the one before), and keeps the
// buffers (and the array) unchanged until its update resolves; the reference taken here keeps them alive.
#define _GNU_SOURCE
#define OPENSSL_SUPPRESS_DEPRECATED
#include <node_api.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
  SHA256_CTX ctx;
  int busy;  // an update is on the pool
} hash_state;

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref buffers_ref;  // the array, and so its buffers
  hash_state *state;
  napi_ref state_ref;  // the handle stays alive while its update runs
  uint32_t count;
  struct {
    const void *data;
    size_t len;
  } parts[];
} update_job;

static void finalize_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

// The handle in argv[0] (of `argc` arguments read into argv), if no update is running on it; else throws.
static hash_state *idle_state(napi_env env, napi_callback_info info, size_t argc, napi_value *argv) {
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  void *p = NULL;
  if (napi_get_value_external(env, argv[0], &p) != napi_ok || !p) {
    napi_throw_type_error(env, NULL, "not a sha256 handle");
    return NULL;
  }
  hash_state *s = p;
  if (s->busy) {
    napi_throw_error(env, "EBUSY", "sha256: an update is still running on this handle");
    return NULL;
  }
  return s;
}

static napi_value js_sha256_create(napi_env env, napi_callback_info info) {
  (void)info;
  hash_state *s = calloc(1, sizeof *s);
  SHA256_Init(&s->ctx);
  napi_value handle;
  napi_create_external(env, s, finalize_state, NULL, &handle);
  return handle;
}

static void update_execute(napi_env env, void *data) {
  (void)env;
  update_job *j = data;
  for (uint32_t i = 0; i < j->count; i++) SHA256_Update(&j->state->ctx, j->parts[i].data, j->parts[i].len);
}

static void update_complete(napi_env env, napi_status status, void *data) {
  update_job *j = data;
  j->state->busy = 0;
  napi_value undefined;
  napi_get_undefined(env, &undefined);
  if (status == napi_ok) {
    napi_resolve_deferred(env, j->deferred, undefined);
  } else {
    napi_value msg, err;
    napi_create_string_utf8(env, "sha256 update cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &err);
    napi_reject_deferred(env, j->deferred, err);
  }
  napi_delete_reference(env, j->buffers_ref);
  napi_delete_reference(env, j->state_ref);
  napi_delete_async_work(env, j->work);
  free(j);
}

static napi_value js_sha256_update(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  hash_state *s = idle_state(env, info, 2, argv);
  if (!s) return NULL;
  uint32_t count = 0;
  if (napi_get_array_length(env, argv[1], &count) != napi_ok) {
    napi_throw_type_error(env, NULL, "sha256Update takes an array of Buffers");
    return NULL;
  }
  update_job *j = calloc(1, sizeof *j + count * sizeof j->parts[0]);
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    void *data = NULL;
    size_t len = 0;
    if (napi_get_element(env, argv[1], i, &item) != napi_ok || napi_get_buffer_info(env, item, &data, &len) != napi_ok) {
      free(j);
      napi_throw_type_error(env, NULL, "sha256Update takes an array of Buffers");
      return NULL;
    }
    j->parts[i].data = data;
    j->parts[i].len = len;
  }
  j->count = count;
  j->state = s;
  s->busy = 1;
  napi_create_reference(env, argv[1], 1, &j->buffers_ref);
  napi_create_reference(env, argv[0], 1, &j->state_ref);
  napi_value promise, name;
  napi_create_promise(env, &j->deferred, &promise);
  napi_create_string_utf8(env, "berth:sha256", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, update_execute, update_complete, j, &j->work);
  napi_queue_async_work(env, j->work);
  return promise;
}

static napi_value js_sha256_digest(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  hash_state *s = idle_state(env, info, 1, argv);
  if (!s) return NULL;
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256_Final(md, &s->ctx);
  char hex[2 * SHA256_DIGEST_LENGTH + 1];
  for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  napi_value out;
  napi_create_string_utf8(env, hex, 2 * SHA256_DIGEST_LENGTH, &out);
  return out;
}

void register_sha256_async(napi_env env, napi_value exports) {
  napi_value fn;
  napi_create_function(env, "sha256Create", NAPI_AUTO_LENGTH, js_sha256_create, NULL, &fn);
  napi_set_named_property(env, exports, "sha256Create", fn);
  napi_create_function(env, "sha256Update", NAPI_AUTO_LENGTH, js_sha256_update, NULL, &fn);
  napi_set_named_property(env, exports, "sha256Update", fn);
  napi_create_function(env, "sha256Digest", NAPI_AUTO_LENGTH, js_sha256_digest, NULL, &fn);
  napi_set_named_property(env, exports, "sha256Digest", fn);
}
