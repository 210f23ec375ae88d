// The few syscalls Node cannot make itself. Each throws an Error with the
// errno name in `code` (e.g. EBUSY) so callers can branch on it.
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static napi_value throw_errno(napi_env env, const char *syscall, const char *path) {
  int e = errno;
  char msg[4200];
  snprintf(msg, sizeof msg, "%s %s: %s", syscall, path ? path : "", strerror(e));
  napi_value code, message, err;
  const char *name = strerrorname_np(e);
  napi_create_string_utf8(env, name ? name : "EUNKNOWN", NAPI_AUTO_LENGTH, &code);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &message);
  napi_create_error(env, code, message, &err);
  napi_value errno_val;
  napi_create_int32(env, -e, &errno_val);
  napi_set_named_property(env, err, "errno", errno_val);
  napi_set_named_property(env, err, "code", code);
  napi_throw(env, err);
  return NULL;
}

// Reads argument i as a malloc'd UTF-8 string (NULL for null/undefined).
static char *arg_string(napi_env env, napi_value v) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_string) return NULL;
  size_t len;
  napi_get_value_string_utf8(env, v, NULL, 0, &len);
  char *s = malloc(len + 1);
  napi_get_value_string_utf8(env, v, s, len + 1, &len);
  return s;
}

static double arg_number(napi_env env, napi_value v) {
  double d = 0;
  napi_get_value_double(env, v, &d);
  return d;
}

// mount(source, target, fstype, flags, data)
static napi_value js_mount(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *src = arg_string(env, argv[0]), *target = arg_string(env, argv[1]);
  char *fstype = arg_string(env, argv[2]), *data = arg_string(env, argv[4]);
  unsigned long flags = (unsigned long)arg_number(env, argv[3]);
  int rc = mount(src, target, fstype, flags, data);
  napi_value ret = NULL;
  if (rc != 0) ret = throw_errno(env, "mount", target);
  free(src); free(target); free(fstype); free(data);
  return ret;
}

// umount2(target, flags)
static napi_value js_umount2(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *target = arg_string(env, argv[0]);
  int rc = umount2(target, (int)arg_number(env, argv[1]));
  napi_value ret = NULL;
  if (rc != 0) ret = throw_errno(env, "umount2", target);
  free(target);
  return ret;
}

// mknod(path, mode, major, minor)
static napi_value js_mknod(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = arg_string(env, argv[0]);
  dev_t dev = makedev((unsigned)arg_number(env, argv[2]), (unsigned)arg_number(env, argv[3]));
  int rc = mknod(path, (mode_t)arg_number(env, argv[1]), dev);
  napi_value ret = NULL;
  if (rc != 0) ret = throw_errno(env, "mknod", path);
  free(path);
  return ret;
}

// lsetxattr(path, name, value)
static napi_value js_lsetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = arg_string(env, argv[0]), *name = arg_string(env, argv[1]);
  char *value = arg_string(env, argv[2]);
  int rc = lsetxattr(path, name, value, strlen(value), 0);
  napi_value ret = NULL;
  if (rc != 0) ret = throw_errno(env, "lsetxattr", path);
  free(path); free(name); free(value);
  return ret;
}

// lgetxattr(path, name) -> string | null (null when the attribute is absent)
static napi_value js_lgetxattr(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = arg_string(env, argv[0]), *name = arg_string(env, argv[1]);
  char buf[4096];
  ssize_t n = lgetxattr(path, name, buf, sizeof buf);
  napi_value ret = NULL;
  if (n >= 0) napi_create_string_utf8(env, buf, (size_t)n, &ret);
  else if (errno == ENODATA || errno == ENOTSUP) napi_get_null(env, &ret);
  else ret = throw_errno(env, "lgetxattr", path);
  free(path); free(name);
  return ret;
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

static napi_value init(napi_env env, napi_value exports) {
  export_fn(env, exports, "mount", js_mount);
  export_fn(env, exports, "umount2", js_umount2);
  export_fn(env, exports, "mknod", js_mknod);
  export_fn(env, exports, "lsetxattr", js_lsetxattr);
  export_fn(env, exports, "lgetxattr", js_lgetxattr);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
