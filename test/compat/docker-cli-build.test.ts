// The real docker CLI v28 with the classic builder (DOCKER_BUILDKIT=0) against berthd, and the same
// Dockerfiles against the reference dockerd 20.10: the build output line by line (IDs aside), the exit
// code and error text, `history --no-trunc` (COPY/ADD content hashes included) and the image config.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { runDocker, type RunResult } from '../helpers/daemon.js';
import { cleanup, compatDaemons, inspectOne, normIds, show, uniquePrefix } from './differential.js';

const env = compatDaemons({ reference: true });
const P = uniquePrefix('build');
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function context(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-compat-build-'));
  dirs.push(dir);
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), data);
  }
  return dir;
}

function dockerBuild(socket: string, dir: string, args: string[]): Promise<RunResult> {
  return runDocker(['build', ...args, '.'], { socket, cwd: dir, env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 180_000 });
}

/**
 * What a user compares: the lines, with IDs (random container IDs, image IDs) replaced. A RUN's stdout
 * and stderr are two pipes whose interleaving is timing (Docker's differs from run to run too), so the
 * lines a RUN printed are compared as a set, colour codes aside.
 */
function norm(text: string): string[] {
  const out: string[] = [];
  let run: string[] | undefined;
  for (const raw of normIds(text).replace(/\u001b\[(91|0)m/g, '\n').split('\n')) {
    if (run && raw.startsWith('Removing intermediate container ')) {
      out.push(...run.filter((l) => l !== '').sort());
      run = undefined;
    }
    if (run) run.push(raw);
    else if (raw !== '' || out.at(-1) !== '') out.push(raw);
    if (raw.startsWith(' ---> Running in ')) run = [];
  }
  if (run) out.push(...run.filter((l) => l !== '').sort());
  return out;
}

async function buildBoth(dir: string, args: string[]): Promise<{ berth: RunResult; ref: RunResult }> {
  const berth = await dockerBuild(env.berth, dir, args);
  const ref = await dockerBuild(env.ref(), dir, args);
  return { berth, ref };
}

async function historyOf(socket: string, ref: string): Promise<string> {
  const r = await runDocker(['history', '--no-trunc', '--format', '{{.CreatedBy}} | {{.Size}} | {{.Comment}}', ref], { socket });
  assert.equal(r.code, 0, show(r));
  // The base image differs (busybox imported on each engine): compare what the build added.
  return r.stdout.split('\n').slice(0, -2).join('\n');
}

const CONFIG_FIELDS = ['Env', 'Cmd', 'Entrypoint', 'WorkingDir', 'User', 'ExposedPorts', 'Volumes', 'Labels', 'Healthcheck', 'OnBuild', 'StopSignal', 'Shell'];

async function configOf(socket: string, ref: string): Promise<Record<string, unknown>> {
  const img = inspectOne(await runDocker(['image', 'inspect', ref], { socket }), ref);
  const cfg = img.Config as Record<string, unknown>;
  const out: Record<string, unknown> = { layers: (img.RootFS as { Layers: string[] }).Layers.length, Author: img.Author };
  for (const k of CONFIG_FIELDS) out[k] = cfg[k] ?? null;
  return out;
}

/** The images earlier stages ended with (" ---> <id>" before each later FROM): untagged, so removed by ID. */
function stageImages(stdout: string): string[] {
  const out: string[] = [];
  const lines = stdout.split('\n');
  lines.forEach((l, i) => {
    if (i > 0 && /^Step \d+\/\d+ : FROM /i.test(l)) {
      const m = /^ ---> ([0-9a-f]{12})$/.exec(lines[i - 1]);
      if (m) out.push(m[1]);
    }
  });
  return out;
}

async function compareBuild(name: string, files: Record<string, string | Buffer>, args: string[] = []): Promise<void> {
  const tag = `${P}-${name}`;
  const dir = context(files);
  const refStages: string[] = [];
  try {
    const { berth, ref } = await buildBoth(dir, ['--no-cache', '-t', tag, ...args]);
    refStages.push(...stageImages(ref.stdout));
    assert.equal(berth.code, ref.code, `exit codes\n--- berth\n${show(berth)}\n--- ref\n${show(ref)}`);
    assert.deepEqual(norm(berth.stdout), norm(ref.stdout), 'build output');
    assert.deepEqual(norm(berth.stderr), norm(ref.stderr), 'build errors');
    if (ref.code !== 0) return;
    assert.equal(await historyOf(env.berth, tag), await historyOf(env.ref(), tag), 'history --no-trunc');
    assert.deepEqual(await configOf(env.berth, tag), await configOf(env.ref(), tag), 'image config');
    // Built again: every step from the cache, on both.
    const again = await buildBoth(dir, ['-t', tag, ...args]);
    assert.deepEqual(norm(again.berth.stdout), norm(again.ref.stdout), 'cached rebuild output');
  } finally {
    await cleanup(env.berth, { images: [tag] });
    await cleanup(env.ref(), { images: [tag, ...refStages] });
  }
}

test('metadata instructions, RUN output (stdout and stderr), COPY: same output, history and config as dockerd', async () => {
  await compareBuild('basic', {
    'hello.txt': 'hello\n',
    'dir/a': 'a\n',
    'dir/sub/b': 'b\n',
    Dockerfile: [
      'FROM busybox',
      'ENV A=1 B="two words"',
      'LABEL x=y',
      'WORKDIR /app',
      'COPY hello.txt /app/',
      'COPY dir /dir',
      'COPY hello.txt dir/a ./multi/',
      'RUN echo hi && echo err >&2',
      'RUN mkdir -p /data && echo $A > /data/a',
      'EXPOSE 80/tcp 443',
      'VOLUME /data',
      'USER nobody',
      'STOPSIGNAL SIGTERM',
      'HEALTHCHECK --interval=5s CMD true',
      'MAINTAINER me',
      'ENTRYPOINT ["echo"]',
      'CMD ["sh"]',
      '',
    ].join('\n'),
  });
});

test('multi-stage with ARG before FROM, build args, SHELL, ONBUILD and COPY --from: same as dockerd', async () => {
  await compareBuild(
    'stages',
    {
      'a.txt': 'a\n',
      Dockerfile: [
        'ARG BASE=busybox',
        'FROM $BASE AS builder',
        'ARG X=1',
        'ARG Y',
        'RUN echo x=$X > /out',
        'COPY --chown=nobody:nogroup a.txt /owned/',
        'SHELL ["/bin/sh", "-ec"]',
        'RUN echo traced',
        'ONBUILD RUN echo triggered',
        'FROM busybox',
        'COPY --from=builder /out /out',
        'COPY --from=0 /owned /owned',
        'CMD echo hi',
        '',
      ].join('\n'),
    },
    ['--build-arg', 'X=5', '--build-arg', 'UNUSED=1', '--label', 'b=2', '--label', 'a=1'],
  );
});

test('ADD of a local tar.gz (extracted), WORKDIR relative and existing: same as dockerd', async () => {
  const tarball = await (async () => {
    const tar = (await import('tar-stream')).default;
    const pack = tar.pack();
    pack.entry({ name: 'pkg/', type: 'directory', mtime: new Date(1_600_000_000_000) });
    pack.entry({ name: 'pkg/f', mtime: new Date(1_600_000_000_000) }, 'in the archive\n');
    pack.finalize();
    const chunks: Buffer[] = [];
    for await (const c of pack as unknown as AsyncIterable<Buffer>) chunks.push(c);
    return gzipSync(Buffer.concat(chunks));
  })();
  await compareBuild('add', {
    'pkg.tar.gz': tarball,
    Dockerfile: 'FROM busybox\nADD pkg.tar.gz /opt/\nWORKDIR /etc\nWORKDIR sub\nENV A b c\nCOPY pkg.tar.gz .\n',
  });
});

test('failures: same messages and exit codes as dockerd (a parse error, a failing RUN, a missing COPY source, a bad --chown)', async () => {
  const cases: Record<string, string> = {
    parse: 'FROM busybox\nRUN echo 1\nFOO bar\n',
    nofrom: 'RUN echo 1\n',
    run: 'FROM busybox\nRUN echo before && exit 3\n',
    missing: 'FROM busybox\nCOPY nope /x\n',
    outside: 'FROM busybox\nCOPY ../x /x\n',
    chown: 'FROM busybox\nCOPY --chown=bad:user Dockerfile /x\n',
    multi: 'FROM busybox\nCOPY Dockerfile Dockerfile /x\n',
    target: 'FROM busybox\n',
  };
  for (const [name, dockerfile] of Object.entries(cases)) {
    await compareBuild(`fail-${name}`, { Dockerfile: dockerfile }, ['--force-rm', ...(name === 'target' ? ['--target', 'nope'] : [])]);
  }
});

test('-q prints the image ID only, on both', async () => {
  const dir = context({ Dockerfile: 'FROM busybox\nLABEL quiet=yes\n' });
  const { berth, ref } = await buildBoth(dir, ['-q']);
  assert.equal(berth.code, 0, show(berth));
  assert.match(berth.stdout, /^sha256:[0-9a-f]{64}\n$/);
  assert.match(ref.stdout, /^sha256:[0-9a-f]{64}\n$/);
  await cleanup(env.berth, { images: [berth.stdout.trim()] });
  await cleanup(env.ref(), { images: [ref.stdout.trim()] });
});
