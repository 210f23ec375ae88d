// Test support for the image verbs: a Daemon over real stores in a temp data
// root, with a plain in-memory container list. Not used by the daemon itself.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { JsonMessage } from '../api/types.js';
import { emptyState, type ContainerRecord, type ContainerStore } from '../core/containers.js';
import { EventBus, type EngineEvent } from '../core/events.js';
import { KeyedLock } from '../core/keyed-lock.js';
import type { Runtime } from '../core/runtime.js';
import type { Digest } from '../oci/digest.js';
import { LocalContentStore } from '../plugins/content-local/local-content-store.js';
import { FileImageStore } from '../plugins/metadata-store/image-store.js';
import { OverlaySnapshotter } from '../plugins/snapshotter-overlay/overlay-snapshotter.js';
import type { Daemon } from './daemon.js';
import { imageImport, type ImageImportOptions } from './image-import.js';

export interface TestDaemon {
  d: Daemon;
  root: string;
  containers: ContainerRecord[];
  events: EngineEvent[];
  /** Every file under the data root except the stores' empty scaffolding. */
  files(): Promise<string[]>;
  cleanup(): Promise<void>;
}

export async function testDaemon(): Promise<TestDaemon> {
  const root = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-img-'));
  const containers: ContainerRecord[] = [];
  const containerStore = {
    load: async () => {},
    get: (id: string) => containers.find((c) => c.id === id),
    list: () => containers,
    save: async () => {},
    delete: async () => {},
    dir: (id: string) => path.join(root, 'containers', id),
  } satisfies ContainerStore;
  const lock = new KeyedLock();
  const bus = new EventBus();
  const events: EngineEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const d: Daemon = {
    config: { dataRoot: root, execRoot: path.join(root, 'run'), hosts: [], defaultRuntime: 'runc', startedAt: new Date() },
    content: new LocalContentStore(path.join(root, 'content')),
    snapshots: new OverlaySnapshotter(path.join(root, 'snapshots')),
    images: new FileImageStore(root),
    containers: containerStore,
    runtime: {} as Runtime,
    events: bus,
    lock: (key, fn) => lock.run(key, fn),
    pendingNames: new Set(),
  };
  await d.images.load();
  return {
    d,
    root,
    containers,
    events,
    files: () => listFiles(root),
    cleanup: () => fs.rm(root, { recursive: true, force: true }),
  };
}

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(path.relative(root, p));
    }
  };
  await walk(root);
  return out.sort();
}

export function fakeContainer(id: string, image: Digest, running: boolean): ContainerRecord {
  return {
    id,
    name: `/c-${id.slice(0, 6)}`,
    created: new Date().toISOString(),
    path: 'sh',
    args: [],
    config: {},
    hostConfig: {},
    image,
    state: { ...emptyState(), Running: running, Status: running ? 'running' : 'exited' },
    restartCount: 0,
    hasBeenManuallyStopped: false,
    runtime: 'runc',
  };
}

export type TarEntry = { name: string; data?: string; type?: 'file' | 'directory' | 'symlink' | 'link'; linkname?: string; mode?: number };

export async function makeTar(entries: TarEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  for (const { data, ...header } of entries) pack.entry(header, data ?? '');
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** Imports `archive` (split in a few chunks, as a socket delivers it). */
export async function importBuffer(
  d: Daemon,
  archive: Buffer,
  opts: Omit<ImageImportOptions, 'source'> = {},
  messages: JsonMessage[] = [],
): Promise<Digest> {
  const chunks = [archive.subarray(0, 100), archive.subarray(100, 3000), archive.subarray(3000)].filter((c) => c.length);
  return (await imageImport(d, { ...opts, source: Readable.from(chunks) }, (m) => messages.push(m))) as Digest;
}
