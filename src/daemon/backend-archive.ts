// Binds save and load (issue 5) to one daemon.
import type { Writable } from 'node:stream';
import type { JsonMessage } from '../api/types.js';
import type { Daemon } from './daemon.js';
import { imageLoad, type ImageLoadOptions } from './image-load.js';
import { imageSave } from './image-save.js';

export function archiveBackend(d: Daemon) {
  return {
    imageSave: (names: string[], start: () => Writable) => imageSave(d, names, start),
    imageLoad: (opts: ImageLoadOptions, progress: (m: JsonMessage) => void) => imageLoad(d, opts, progress),
  };
}
