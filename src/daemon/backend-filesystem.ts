// Binds the filesystem verbs to one daemon (issue 3).
import type { Readable, Writable } from 'node:stream';
import type { FsChange } from '../core/fs-changes.js';
import { containerArchiveGet, containerArchivePut, containerArchiveStat, type ArchivePutOptions } from './container-archive.js';
import { containerChanges } from './container-changes.js';
import { containerCommit, type CommitOptions } from './container-commit.js';
import { containerExport } from './container-export.js';
import type { Daemon } from './daemon.js';

export function filesystemBackend(d: Daemon) {
  return {
    containerChanges: (ref: string): Promise<FsChange[]> => containerChanges(d, ref),
    containerExport: (ref: string, start: () => Writable) => containerExport(d, ref, start),
    containerArchiveStat: (ref: string, path: string | null) => containerArchiveStat(d, ref, path),
    containerArchiveGet: (ref: string, path: string | null, start: (stat: string) => Writable) =>
      containerArchiveGet(d, ref, path, start),
    containerArchivePut: (ref: string, path: string | null, body: Readable, opts: ArchivePutOptions) =>
      containerArchivePut(d, ref, path, body, opts),
    containerCommit: (opts: CommitOptions) => containerCommit(d, opts),
  };
}
