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
}

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
export const MS_BIND = 0x1000;
export const MS_REC = 0x4000;
export const MNT_DETACH = 0x2;
export const S_IFCHR = 0o020000;
