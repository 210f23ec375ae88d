// Loads the N-API addon (native/berth_native.c) for syscalls Node lacks.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export interface NativeBindings {
  mount(source: string | null, target: string, fstype: string | null, flags: number, data: string | null): void;
  umount2(target: string, flags: number): void;
  mknod(path: string, mode: number, major: number, minor: number): void;
  lsetxattr(path: string, name: string, value: string): void;
  lgetxattr(path: string, name: string): string | null;
  /** Connects a non-blocking SOCK_SEQPACKET socket; returns its fd. */
  seqpacketConnect(path: string): number;
  /** Watches the fd on the event loop: cb(0, message), cb(1, null) at end/error, cb(2, null) when writable again. */
  seqpacketWatch(fd: number, cb: (kind: number, data: Buffer | null) => void): SeqpacketHandle;
  /** Sends one message; -1 when the socket is full (cb(2) follows). */
  seqpacketWrite(h: SeqpacketHandle, data: Buffer): number;
  seqpacketShutdown(h: SeqpacketHandle): void;
  seqpacketClose(h: SeqpacketHandle): void;
  /** SHA-256 whose updates run on the thread pool, one at a time per handle (see pooled-sha256.ts). */
  sha256Create(): Sha256Handle;
  sha256Update(h: Sha256Handle, data: Buffer[]): Promise<void>;
  sha256Digest(h: Sha256Handle): string;
  /** [readFd, writeFd] of a close-on-exec pipe enlarged to `size` bytes (as far as allowed). */
  bigPipe(size: number): [number, number];
  /** chattr +T: ext4 spreads the directories made in `dir` over the disk. False where unsupported. */
  setTopdir(dir: string): boolean;
}

/** Opaque handle of a SHA-256 in progress. */
export type Sha256Handle = { readonly __sha256: unique symbol };

/** Opaque handle of a watched seqpacket socket. */
export type SeqpacketHandle = { readonly __seqpacket: unique symbol };

let cached: NativeBindings | undefined;

export function native(): NativeBindings {
  if (cached) return cached;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/host → project root
  const root = path.resolve(here, '..', '..', '..');
  const require = createRequire(import.meta.url);
  cached = require(path.join(root, 'build', 'Release', 'berth_native.node')) as NativeBindings;
  return cached;
}

export const MS_RDONLY = 0x1;
export const MS_NOSUID = 0x2;
export const MS_NODEV = 0x4;
export const MS_NOEXEC = 0x8;
export const MS_REMOUNT = 0x20;
export const MS_NOATIME = 0x400;
export const MS_NODIRATIME = 0x800;
export const MS_BIND = 0x1000;
export const MS_RELATIME = 0x200000;
export const MS_STRICTATIME = 0x1000000;
export const MS_REC = 0x4000;
export const MNT_DETACH = 0x2;
export const S_IFCHR = 0o020000;
