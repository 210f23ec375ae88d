// The few syscalls Node cannot make itself. Each throws an Error with the
// errno name in `code` (e.g. EBUSY) so callers can branch on it.
#define _GNU_SOURCE
#include <node_api.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <linux/fs.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <fcntl.h>
#include <uv.h>

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

// ---- SOCK_SEQPACKET client for conmon's attach socket ----
// seqpacketConnect(path) -> fd (non-blocking, close-on-exec). Long paths go
// through /proc/self/fd/<O_PATH fd of the directory>, as Podman does.
static napi_value js_seqpacket_connect(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *p = arg_string(env, argv[0]);
  if (!p) { errno = EINVAL; return throw_errno(env, "connect", ""); }
  char *slash = strrchr(p, '/');
  int dirfd = -1;
  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  if (slash && slash != p) {
    *slash = 0;
    dirfd = open(p, O_PATH | O_CLOEXEC);
    *slash = '/';
    if (dirfd < 0) { napi_value r = throw_errno(env, "open", p); free(p); return r; }
    snprintf(addr.sun_path, sizeof addr.sun_path, "/proc/self/fd/%d/%s", dirfd, slash + 1);
  } else {
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", p);
  }
  int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  napi_value ret = NULL;
  if (fd < 0) ret = throw_errno(env, "socket", p);
  else if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    ret = throw_errno(env, "connect", p);
    close(fd);
  } else napi_create_int32(env, fd, &ret);
  if (dirfd >= 0) close(dirfd);
  free(p);
  return ret;
}

typedef struct {
  uv_poll_t poll;
  int fd;
  int events;
  int closed;
  int uv_done;   // uv_close finished
  int js_done;   // the JS handle was garbage-collected
  napi_env env;
  napi_ref cb;
  napi_async_context ctx;
} sp_watch;

// Calls cb(kind, buffer?) with kind 0 = message, 1 = end/error, 2 = writable.
static void sp_emit(sp_watch *w, int kind, const char *data, size_t len) {
  napi_env env = w->env;
  napi_handle_scope scope;
  napi_open_handle_scope(env, &scope);
  napi_value cb, recv, argv[2], result;
  napi_get_reference_value(env, w->cb, &cb);
  napi_get_global(env, &recv);
  napi_create_int32(env, kind, &argv[0]);
  if (data) {
    void *dst;
    napi_create_buffer_copy(env, len, data, &dst, &argv[1]);
  } else napi_get_null(env, &argv[1]);
  napi_make_callback(env, w->ctx, recv, cb, 2, argv, &result);
  napi_close_handle_scope(env, scope);
}

static void sp_on_poll(uv_poll_t *h, int status, int events) {
  sp_watch *w = (sp_watch *)h->data;
  if (w->closed) return;
  if (status < 0) { uv_poll_stop(h); w->events = 0; sp_emit(w, 1, NULL, 0); return; }
  if (events & UV_WRITABLE) {
    w->events &= ~UV_WRITABLE;
    uv_poll_start(h, w->events, sp_on_poll);
    sp_emit(w, 2, NULL, 0);
    if (w->closed) return;
  }
  if (events & (UV_READABLE | UV_DISCONNECT)) {
    static char buf[65536];
    for (int i = 0; i < 64 && !w->closed; i++) {
      ssize_t n = recv(w->fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) break;
      if (n <= 0) {
        w->events = 0;
        uv_poll_stop(h);
        sp_emit(w, 1, NULL, 0);
        return;
      }
      sp_emit(w, 0, buf, (size_t)n);
    }
  }
}

// The struct lives until both the JS handle and the uv handle are gone.
static void sp_finalize(napi_env env, void *data, void *hint) {
  (void)env; (void)hint;
  sp_watch *w = (sp_watch *)data;
  w->js_done = 1;
  if (w->uv_done) free(w);
}

static void sp_closed(uv_handle_t *h) {
  sp_watch *w = (sp_watch *)h->data;
  close(w->fd);
  w->uv_done = 1;
  if (w->js_done) free(w);
}

// seqpacketWatch(fd, cb) -> handle; reading starts at once.
static napi_value js_seqpacket_watch(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sp_watch *w = calloc(1, sizeof *w);
  w->fd = (int)arg_number(env, argv[0]);
  w->env = env;
  uv_loop_t *loop;
  napi_get_uv_event_loop(env, &loop);
  if (uv_poll_init(loop, &w->poll, w->fd) != 0) {
    free(w);
    errno = EBADF;
    return throw_errno(env, "uv_poll_init", "");
  }
  w->poll.data = w;
  napi_create_reference(env, argv[1], 1, &w->cb);
  napi_value name;
  napi_create_string_utf8(env, "berth:seqpacket", NAPI_AUTO_LENGTH, &name);
  napi_async_init(env, NULL, name, &w->ctx);
  w->events = UV_READABLE | UV_DISCONNECT;
  uv_poll_start(&w->poll, w->events, sp_on_poll);
  napi_value ext;
  napi_create_external(env, w, sp_finalize, NULL, &ext);
  return ext;
}

static sp_watch *arg_watch(napi_env env, napi_value v) {
  void *p = NULL;
  napi_get_value_external(env, v, &p);
  return (sp_watch *)p;
}

// seqpacketWrite(handle, buffer) -> bytes sent (one message), or -1 when the
// socket is full (a cb(2) follows once it is writable again).
static napi_value js_seqpacket_write(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2], ret;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sp_watch *w = arg_watch(env, argv[0]);
  void *data; size_t len;
  napi_get_buffer_info(env, argv[1], &data, &len);
  if (!w || w->closed) { errno = EBADF; return throw_errno(env, "send", ""); }
  ssize_t n = send(w->fd, data, len, MSG_DONTWAIT | MSG_NOSIGNAL);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
    w->events |= UV_WRITABLE;
    uv_poll_start(&w->poll, w->events, sp_on_poll);
    n = -1;
  } else if (n < 0) return throw_errno(env, "send", "");
  napi_create_int32(env, (int)n, &ret);
  return ret;
}

// seqpacketShutdown(handle): no more writes (the container sees stdin EOF).
static napi_value js_seqpacket_shutdown(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sp_watch *w = arg_watch(env, argv[0]);
  if (w && !w->closed) shutdown(w->fd, SHUT_WR);
  return NULL;
}

// seqpacketClose(handle): stops watching and closes the socket.
static napi_value js_seqpacket_close(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  sp_watch *w = arg_watch(env, argv[0]);
  if (!w || w->closed) return NULL;
  w->closed = 1;
  uv_poll_stop(&w->poll);
  napi_delete_reference(env, w->cb);
  napi_async_destroy(env, w->ctx);
  uv_close((uv_handle_t *)&w->poll, sp_closed);
  return NULL;
}

static void export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn);
  napi_set_named_property(env, exports, name, fn);
}

// bigPipe(size): [readFd, writeFd] of a pipe (close-on-exec) that holds `size` bytes, as far as the
// system allows. A child that streams a lot into a default 64 KiB pipe stops at every 64 KiB.
static napi_value js_big_pipe(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return throw_errno(env, "pipe2", NULL);
  int size = (int)arg_number(env, argv[0]);
  if (size > 0) fcntl(fds[1], F_SETPIPE_SZ, size);  // a smaller pipe still works
  napi_value out, fd;
  napi_create_array_with_length(env, 2, &out);
  for (uint32_t i = 0; i < 2; i++) {
    napi_create_int32(env, fds[i], &fd);
    napi_set_element(env, out, i, fd);
  }
  return out;
}

// setTopdir(path): marks a directory as the top of its own hierarchies (chattr +T), so ext4 spreads
// the directories made in it over the disk instead of packing them next to it. Returns false where
// the filesystem has no such flag.
static napi_value js_set_topdir(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1], result;
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  char *path = arg_string(env, argv[0]);
  int ok = 0;
  int fd = path ? open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
  if (fd >= 0) {
    int flags = 0;
    if (ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
      ok = (flags & FS_TOPDIR_FL) || (flags |= FS_TOPDIR_FL, ioctl(fd, FS_IOC_SETFLAGS, &flags) == 0);
    }
    close(fd);
  }
  free(path);
  napi_get_boolean(env, ok, &result);
  return result;
}

void register_sha256_async(napi_env env, napi_value exports);  // sha256_async.c

static napi_value init(napi_env env, napi_value exports) {
  export_fn(env, exports, "mount", js_mount);
  export_fn(env, exports, "umount2", js_umount2);
  export_fn(env, exports, "mknod", js_mknod);
  export_fn(env, exports, "lsetxattr", js_lsetxattr);
  export_fn(env, exports, "lgetxattr", js_lgetxattr);
  export_fn(env, exports, "seqpacketConnect", js_seqpacket_connect);
  export_fn(env, exports, "seqpacketWatch", js_seqpacket_watch);
  export_fn(env, exports, "seqpacketWrite", js_seqpacket_write);
  export_fn(env, exports, "seqpacketShutdown", js_seqpacket_shutdown);
  export_fn(env, exports, "seqpacketClose", js_seqpacket_close);
  export_fn(env, exports, "setTopdir", js_set_topdir);
  export_fn(env, exports, "bigPipe", js_big_pipe);
  register_sha256_async(env, exports);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
