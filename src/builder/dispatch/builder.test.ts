// The dispatcher with a fake backend: step numbering and output, the cache (probing stops at the first
// miss, as moby's imageProber), RUN's config and cache key with build args, COPY's layer entries, and
// --rm / --force-rm after a failing RUN.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { ContainerConfig } from '../../api/types.js';
import { notFound } from '../../errdefs/errors.js';
import type { ImageConfig } from '../../oci/image.js';
import type { BuildContext } from '../context/build-context.js';
import { receiveContext } from '../context/receive-context.js';
import type { BuildBackend, BuildImage, CacheCandidate, ChildConfig, OutputStream, RunContainerRequest } from './backend.js';
import { prepareBuild, runBuild } from './builder.js';
import type { BuildOptions } from './dispatch-request.js';
import { BuildOutput, type BuildMessage } from './output.js';
import { BuildStepError } from './step-error.js';

let tmp: string;
let root: string;
before(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'berth-dispatch-test-'));
  root = path.join(tmp, 'rootfs');
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  writeFileSync(path.join(root, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n');
  writeFileSync(path.join(root, 'etc/group'), 'root:x:0:\napps:x:1001:\n');
});
after(() => rmSync(tmp, { recursive: true, force: true }));

interface FakeImage extends BuildImage {
  parent: string;
  containerConfig?: ContainerConfig;
  layer?: Array<{ name: string; uid: number; gid: number; mode: number; data: string }>;
}

class FakeBackend implements BuildBackend {
  images = new Map<string, FakeImage>();
  probes: string[] = [];
  runs: RunContainerRequest[] = [];
  removed: string[] = [];
  exitCode = 0;
  private n = 0;

  constructor() {
    const config: ImageConfig = { architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: ['sha256:base'] }, config: { Cmd: ['sh'] } };
    this.images.set('sha256:base', { id: 'sha256:base', config, parent: '' });
  }

  async getImage(ref: string): Promise<BuildImage> {
    const img = this.images.get(ref === 'base' ? 'sha256:base' : ref);
    if (!img) throw notFound(`No such image: ${ref}`);
    return img;
  }
  cacheCandidates(parent: string): CacheCandidate[] {
    this.probes.push(parent);
    return [...this.images.values()].filter((i) => i.parent === parent).map((i) => ({ id: i.id, containerConfig: i.containerConfig, created: i.config.created ?? '' }));
  }
  async createContainer(req: RunContainerRequest): Promise<string> {
    this.runs.push(req);
    return createHash('sha256').update(`c${this.n++}`).digest('hex');
  }
  async runContainer(_id: string, onOutput: (s: OutputStream, c: Buffer) => void): Promise<number> {
    onOutput('stdout', Buffer.from('out\n'));
    onOutput('stderr', Buffer.from('err\n'));
    return this.exitCode;
  }
  async removeContainer(id: string): Promise<void> {
    this.removed.push(id);
  }
  async commitContainer(_id: string, parent: BuildImage, child: ChildConfig): Promise<BuildImage> {
    return this.child(parent, child, undefined);
  }
  async createImage(parent: BuildImage, layer: Readable | undefined, child: ChildConfig): Promise<BuildImage> {
    const entries: FakeImage['layer'] = [];
    if (layer) {
      const extract = tar.extract();
      layer.pipe(extract as unknown as NodeJS.WritableStream);
      for await (const e of extract) {
        let data = '';
        for await (const c of e) data += (c as Buffer).toString();
        entries.push({ name: e.header.name, uid: e.header.uid, gid: e.header.gid, mode: e.header.mode, data });
      }
    }
    return this.child(parent, child, layer ? entries : undefined);
  }
  async withImageRoot<T>(_image: BuildImage, fn: (root: string) => Promise<T>): Promise<T> {
    return fn(root);
  }
  async tag(): Promise<void> {}

  private child(parent: BuildImage, child: ChildConfig, layer: FakeImage['layer']): FakeImage {
    const id = `sha256:${createHash('sha256').update(`img${this.n++}`).digest('hex')}`;
    const config: ImageConfig = {
      ...parent.config,
      config: child.config,
      created: new Date(Date.now() + this.n).toISOString(),
      history: [...(parent.config.history ?? []), { created_by: (child.containerConfig.Cmd ?? []).join(' '), ...(layer ? {} : {}) }],
    };
    const img: FakeImage = { id, config, parent: parent.id, containerConfig: child.containerConfig, layer };
    this.images.set(id, img);
    return img;
  }
}

async function contextOf(files: Record<string, string>): Promise<BuildContext> {
  const pack = tar.pack();
  for (const [name, data] of Object.entries(files)) pack.entry({ name, mode: 0o644, mtime: new Date(0) }, data);
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
  return receiveContext(Readable.from([Buffer.concat(chunks)]), mkdtempSync(path.join(tmp, 'ctx-')), path.join(tmp, 'store'));
}

const options = (o: Partial<BuildOptions> = {}): BuildOptions => ({
  dockerfile: 'Dockerfile', noCache: false, buildArgs: new Map(), labels: {}, rm: true, forceRm: false, network: 'default', ...o,
});

async function run(b: FakeBackend, files: Record<string, string>, o: Partial<BuildOptions> = {}) {
  const ctx = await contextOf(files);
  const opts = options(o);
  const messages: BuildMessage[] = [];
  const out = new BuildOutput((m) => messages.push(m));
  const text = () => messages.map((m) => m.stream ?? '').join('');
  try {
    const id = await runBuild(b, ctx, opts, await prepareBuild(ctx, opts), out);
    return { id, text: text(), messages };
  } catch (err) {
    return { error: err as Error, text: text(), messages };
  }
}

test('steps are numbered across stages; metadata steps print Docker\'s container lines; the aux ID ends each stage', async () => {
  const b = new FakeBackend();
  const r = await run(b, { Dockerfile: 'ARG V=1\nFROM base AS a\nENV X=$V\nFROM base\nCOPY --from=a /etc/passwd /p\n' });
  assert.equal(r.error, undefined);
  assert.match(r.text, /^Step 1\/5 : ARG V=1\nStep 2\/5 : FROM base AS a\n ---> base\nStep 3\/5 : ENV X=\$V\n ---> Running in ([0-9a-f]{12})\nRemoving intermediate container \1\n ---> [0-9a-f]{12}\nStep 4\/5 : FROM base\n ---> base\nStep 5\/5 : COPY --from=a \/etc\/passwd \/p\n ---> [0-9a-f]{12}\n$/);
  assert.equal(r.messages.filter((m) => m.aux).length, 2);
  const env = b.images.get(r.id!)!;
  assert.equal(env.layer?.find((e) => e.name === 'p')?.data.startsWith('root:'), true);
});

test('a rebuild comes from the cache; after the first miss a stage stops probing', async () => {
  const b = new FakeBackend();
  const df = 'FROM base\nENV A=1\nRUN make\nLABEL l=1\n';
  const first = await run(b, { Dockerfile: df });
  const again = await run(b, { Dockerfile: df });
  assert.equal(again.id, first.id);
  assert.equal((again.text.match(/ ---> Using cache\n/g) ?? []).length, 3);
  b.probes = [];
  const changed = await run(b, { Dockerfile: 'FROM base\nENV A=2\nRUN make\nLABEL l=1\n' });
  assert.equal((changed.text.match(/Using cache/g) ?? []).length, 0);
  assert.deepEqual(b.probes, ['sha256:base'], 'only the first step probed');
  const none = await run(b, { Dockerfile: df }, { noCache: true });
  assert.notEqual(none.id, first.id);
});

test('RUN: the container\'s config, build args in its env and its cache key ("|1 X=5 …")', async () => {
  const b = new FakeBackend();
  const r = await run(b, { Dockerfile: 'FROM base\nRUN before\nARG X\nRUN echo $X\n' }, { buildArgs: new Map([['X', '5']]) });
  assert.equal(r.error, undefined);
  const [first, second] = b.runs;
  assert.deepEqual(first.config.Cmd, ['/bin/sh', '-c', 'before']);
  assert.deepEqual(first.config.Entrypoint, []);
  assert.deepEqual(first.config.Healthcheck, { Test: ['NONE'] });
  assert.ok(!first.config.Env?.includes('X=5'), 'not declared yet');
  assert.ok(second.config.Env?.includes('X=5'));
  assert.equal(b.images.get(r.id!)!.config.history!.at(-1)!.created_by, '|1 X=5 /bin/sh -c echo $X');
  assert.match(r.text, / ---> Running in [0-9a-f]{12}\nout\n\u001b\[91merr\n\u001b\[0mRemoving intermediate container [0-9a-f]{12}\n/);
  assert.equal(b.removed.length, 2);
});

test('COPY: --chown names from the image\'s passwd and group, the destination\'s parents with their metadata', async () => {
  const b = new FakeBackend();
  // /etc exists in the image (kept as it is); /etc/sub and /srv do not (made, owned as --chown says).
  const r = await run(b, { Dockerfile: 'FROM base\nWORKDIR /etc\nCOPY --chown=app:apps f.txt sub/\nCOPY --chown=1:2 f.txt /srv/x\n', 'f.txt': 'data' });
  assert.equal(r.error, undefined);
  const parent = b.images.get(r.id!)!.parent;
  const layer = b.images.get(parent)!.layer!;
  const uid = process.getuid!();
  assert.deepEqual(layer.map((e) => [e.name, e.uid, e.gid]), [['etc/', uid, process.getgid!()], ['etc/sub/', 1000, 1001], ['etc/sub/f.txt', 1000, 1001]]);
  assert.equal(layer[2].data, 'data');
  assert.deepEqual(b.images.get(r.id!)!.layer!.map((e) => [e.name, e.uid, e.gid, e.mode]), [['srv/', 1, 2, 0o755], ['srv/x', 1, 2, 0o644]]);
  const bad = await run(b, { Dockerfile: 'FROM base\nCOPY --chown=nobody f.txt /x\n', 'f.txt': 'data' });
  assert.match(bad.error!.message, /^unable to convert uid\/gid chown string to host mapping: can't find uid for user nobody: no such user: nobody$/);
});

test('a failing RUN: BuildStepError with the exit code; its container stays unless --force-rm', async () => {
  const b = new FakeBackend();
  b.exitCode = 2;
  const kept = await run(b, { Dockerfile: 'FROM base\nRUN false\n' });
  assert.ok(kept.error instanceof BuildStepError);
  assert.equal((kept.error as BuildStepError).code, 2);
  assert.equal(kept.error.message, "The command '/bin/sh -c false' returned a non-zero code: 2");
  assert.deepEqual(b.removed, []);
  const forced = await run(b, { Dockerfile: 'FROM base\nRUN false\n' }, { forceRm: true, noCache: true });
  assert.equal(b.removed.length, 1);
  assert.match(forced.text, /Removing intermediate container [0-9a-f]{12}\n$/);
});

test('--label adds sorted LABEL steps to the last stage; the unused build-arg warning comes last', async () => {
  const b = new FakeBackend();
  const r = await run(b, { Dockerfile: 'FROM base\n' }, { labels: { z: '1', a: '2' }, buildArgs: new Map([['NOPE', 'x']]) });
  assert.match(r.text, /Step 2\/3 : LABEL a=2\n[^]*Step 3\/3 : LABEL z=1\n[^]*\[Warning\] One or more build-args \[NOPE\] were not consumed\n$/);
  assert.deepEqual(b.images.get(r.id!)!.config.config!.Labels, { a: '2', z: '1' });
});
