// The builder against a real berthd: every instruction, the image config and history it records (as
// Docker's classic builder records them), and the seeds' examples (multi-stage, CMD with ENTRYPOINT).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { importBusybox, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';
import { build, buildOk, cli, history, imageConfigBlob, inspect, writeContext } from './build-helpers.js';

let d: BerthdHandle;

before(async () => {
  d = await startBerthd();
  await importBusybox(d.socket);
});
after(async () => {
  await d?.stop();
});

test('metadata instructions set the config and record "#(nop)" history entries with empty layers', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'FROM busybox',
      'ENV A=1 B="two words"',
      'ENV C $A-x',
      'LABEL x=y "with space"="v 2"',
      'MAINTAINER someone <a@b.c>',
      'EXPOSE 80/tcp 443 53/udp',
      'VOLUME ["/data", "/logs"]',
      'USER nobody',
      'STOPSIGNAL SIGQUIT',
      'HEALTHCHECK --interval=5s --retries=3 CMD true',
      'SHELL ["/bin/sh", "-ec"]',
      'ONBUILD RUN echo child',
      'ARG V=1',
      'ENTRYPOINT ["echo"]',
      'CMD ["hello"]',
      '',
    ].join('\n'),
  });
  const r = await build(d, ctx, '-t', 'meta:1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^Step 1\/15 : FROM busybox\n ---> [0-9a-f]{12}\nStep 2\/15 : ENV A=1 B="two words"\n ---> Running in ([0-9a-f]{12})\nRemoving intermediate container \1\n ---> [0-9a-f]{12}\n/);
  assert.match(r.stdout, /Successfully built [0-9a-f]{12}\nSuccessfully tagged meta:1\n$/);
  const cfg = (await inspect(d, 'meta:1')).Config;
  assert.deepEqual(cfg.Env, ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'A=1', 'B=two words', 'C=1-x']);
  assert.deepEqual(cfg.Labels, { x: 'y', 'with space': 'v 2' });
  assert.deepEqual(cfg.ExposedPorts, { '80/tcp': {}, '443/tcp': {}, '53/udp': {} });
  assert.deepEqual(cfg.Volumes, { '/data': {}, '/logs': {} });
  assert.equal(cfg.User, 'nobody');
  assert.equal(cfg.StopSignal, 'SIGQUIT');
  assert.deepEqual(cfg.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 5_000_000_000, Retries: 3 });
  assert.deepEqual(cfg.Shell, ['/bin/sh', '-ec']);
  assert.deepEqual(cfg.OnBuild, ['RUN echo child']);
  assert.deepEqual(cfg.Entrypoint, ['echo']);
  assert.deepEqual(cfg.Cmd, ['hello']);
  assert.equal((await inspect(d, 'meta:1')).Author, 'someone <a@b.c>');

  const blob = await imageConfigBlob(d, 'meta:1');
  const mine = blob.history.slice(1);
  assert.deepEqual(
    mine.map((h: Record<string, unknown>) => h.created_by),
    [
      '/bin/sh -c #(nop)  ENV A=1 B=two words',
      '/bin/sh -c #(nop)  ENV C=1-x',
      '/bin/sh -c #(nop)  LABEL x=y with space=v 2',
      '/bin/sh -c #(nop)  MAINTAINER someone <a@b.c>',
      '/bin/sh -c #(nop)  EXPOSE 443 53/udp 80/tcp',
      '/bin/sh -c #(nop)  VOLUME [/data /logs]',
      '/bin/sh -c #(nop)  USER nobody',
      '/bin/sh -c #(nop)  STOPSIGNAL SIGQUIT',
      `/bin/sh -c #(nop)  HEALTHCHECK &{["CMD-SHELL" "true"] "5s" "0s" "0s" '\\x03'}`,
      '/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]',
      '/bin/sh -ec #(nop)  ONBUILD RUN echo child',
      '/bin/sh -ec #(nop)  ARG V=1',
      '/bin/sh -ec #(nop)  ENTRYPOINT ["echo"]',
      '/bin/sh -ec #(nop)  CMD ["hello"]',
    ],
  );
  assert.ok(mine.every((h: Record<string, unknown>) => h.empty_layer === true));
  // After MAINTAINER every entry names the author, as Docker records it.
  assert.equal(mine[3].author, 'someone <a@b.c>');
  assert.equal(mine[0].author, undefined);
  assert.equal(blob.rootfs.diff_ids.length, 1);
  assert.deepEqual(blob.container_config.Cmd, ['/bin/sh', '-ec', '#(nop) ', 'CMD ["hello"]']);
  assert.equal((await cli(d, 'run', '--rm', 'meta:1')).stdout, 'hello\n');
});

test('CMD and ENTRYPOINT together: the CMD is the default argument; ENTRYPOINT drops an inherited CMD', async () => {
  const ctx = writeContext(d, { Dockerfile: 'FROM busybox\nENTRYPOINT ["echo", "hello"]\nCMD ["world"]\n' });
  await buildOk(d, ctx, '-t', 'greet');
  assert.equal((await cli(d, 'run', '--rm', 'greet')).stdout, 'hello world\n');
  assert.equal((await cli(d, 'run', '--rm', 'greet', 'there')).stdout, 'hello there\n');
  const ctx2 = writeContext(d, { Dockerfile: 'FROM busybox\nENTRYPOINT ["echo", "only"]\n' });
  await buildOk(d, ctx2, '-t', 'greet2');
  // busybox's CMD ["sh"] is not inherited once a stage sets ENTRYPOINT.
  assert.equal((await inspect(d, 'greet2')).Config.Cmd, null);
  assert.equal((await cli(d, 'run', '--rm', 'greet2')).stdout, 'only\n');
  // Shell form: the CMD becomes the shell's $0, as with Docker.
  const ctx3 = writeContext(d, { Dockerfile: 'FROM busybox\nENTRYPOINT echo shell-form $0\nCMD ["zero"]\n' });
  await buildOk(d, ctx3, '-t', 'greet3');
  assert.deepEqual((await inspect(d, 'greet3')).Config.Entrypoint, ['/bin/sh', '-c', 'echo shell-form $0']);
  assert.equal((await cli(d, 'run', '--rm', 'greet3')).stdout, 'shell-form zero\n');
});

test('RUN: shell and exec forms, SHELL, output streamed (stderr in red), layers committed; empty diffs add no layer', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'FROM busybox',
      'RUN echo out && echo err >&2',
      'RUN ["/bin/sh", "-c", "echo exec form > /exec.txt"]',
      'SHELL ["/bin/sh", "-xc"]',
      'RUN echo traced > /traced.txt',
      'WORKDIR /w',
      'RUN pwd > here && id -u > uid',
      'USER nobody',
      'RUN id -u > /tmp/nobody-uid',
      '',
    ].join('\n'),
  });
  const r = await build(d, ctx, '-t', 'runs');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, / ---> Running in [0-9a-f]{12}\nout\n\u001b\[91merr\n\u001b\[0m/);
  assert.match(r.stdout, /\u001b\[91m\+ echo traced\n\u001b\[0m/);
  const out = (await cli(d, 'run', '--rm', 'runs', 'cat', '/exec.txt', '/traced.txt', '/w/here', '/w/uid', '/tmp/nobody-uid')).stdout;
  assert.equal(out, 'exec form\ntraced\n/w\n0\n65534\n');
  const blob = await imageConfigBlob(d, 'runs');
  const h = blob.history.slice(1);
  assert.equal(h[0].created_by, '/bin/sh -c echo out && echo err >&2');
  assert.equal(h[0].empty_layer, true, 'a RUN that changes nothing adds no layer');
  assert.equal(h[1].created_by, '/bin/sh -c echo exec form > /exec.txt');
  assert.equal(h[1].empty_layer, undefined);
  assert.equal(h[3].created_by, '/bin/sh -xc echo traced > /traced.txt');
  assert.equal(h[4].created_by, '/bin/sh -xc #(nop) WORKDIR /w');
  assert.equal(h[4].empty_layer, undefined, 'WORKDIR creates the missing directory as a layer');
  assert.equal(blob.rootfs.diff_ids.length, 1 + 5);
  assert.equal(blob.container_config.Cmd.join(' '), '/bin/sh -xc id -u > /tmp/nobody-uid');
  assert.match(blob.container, /^[0-9a-f]{64}$/);
  assert.equal((await cli(d, 'ps', '-aq')).stdout, '', 'intermediate containers are removed');
});

test('COPY and ADD: Docker\'s destination rules, --chown by name, --chmod, globs, dirs, tar extraction, hashes in history', async () => {
  const { gzipSync } = await import('node:zlib');
  const tarStream = (await import('tar-stream')).default.pack();
  tarStream.entry({ name: 'pkg/' , type: 'directory' });
  tarStream.entry({ name: 'pkg/lib.txt' }, 'library\n');
  tarStream.finalize();
  const chunks: Buffer[] = [];
  for await (const c of tarStream as unknown as AsyncIterable<Buffer>) chunks.push(c);
  const ctx = writeContext(d, {
    'a.txt': 'a\n',
    'b.txt': 'b\n',
    'c.md': 'c\n',
    'dir/one': '1\n',
    'dir/sub/two': '2\n',
    'script.sh': { data: '#!/bin/sh\necho script\n', mode: 0o755 },
    Dockerfile: [
      'FROM busybox',
      'COPY a.txt /single',
      'COPY a.txt /into/',
      'COPY *.txt /globbed/',
      'COPY dir /copied-dir',
      'COPY dir/ /merged/',
      'WORKDIR /app',
      'COPY a.txt .',
      'COPY --chown=nobody:nogroup b.txt owned/',
      'COPY --chown=1000 c.md numeric',
      'COPY --chmod=600 script.sh /private.sh',
      'COPY script.sh /usr/local/bin/',
      'ADD pkg.tar.gz /opt/',
      'ADD a.txt /added',
      '',
    ].join('\n'),
  });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(`${ctx}/pkg.tar.gz`, gzipSync(Buffer.concat(chunks)));
  const r = await build(d, ctx, '-t', 'copies');
  assert.equal(r.code, 0, r.stderr);
  // COPY/ADD need no container.
  const copySteps = r.stdout.split('Step ').filter((s) => / : (COPY|ADD) /.test(s));
  assert.ok(copySteps.every((s) => !s.includes('Running in')));
  const ls = await cli(d, 'run', '--rm', 'copies', 'sh', '-c', [
    'cat /single /into/a.txt /globbed/a.txt /globbed/b.txt /copied-dir/one /copied-dir/sub/two /merged/sub/two /app/a.txt /opt/pkg/lib.txt /added',
    'stat -c "%n %u:%g %a" /app/owned /app/owned/b.txt /app/numeric /private.sh /usr/local/bin/script.sh /single /opt/pkg',
    'ls /globbed; test -e /copied-dir/dir && echo WRONG; /usr/local/bin/script.sh',
  ].join(' && '));
  assert.equal(ls.code, 0, ls.stderr);
  assert.equal(
    ls.stdout,
    [
      'a', 'a', 'a', 'b', '1', '2', '2', 'a', 'library', 'a',
      '/app/owned 65534:65534 755', '/app/owned/b.txt 65534:65534 644', '/app/numeric 1000:1000 644', '/private.sh 0:0 600',
      '/usr/local/bin/script.sh 0:0 755', '/single 0:0 644', '/opt/pkg 0:0 755',
      'a.txt', 'b.txt', 'script', '',
    ].join('\n'),
  );
  const h = (await imageConfigBlob(d, 'copies')).history.slice(1).map((e: Record<string, string>) => e.created_by);
  assert.match(h[0], /^\/bin\/sh -c #\(nop\) COPY file:[0-9a-f]{64} in \/single $/);
  assert.match(h[2], /^\/bin\/sh -c #\(nop\) COPY multi:[0-9a-f]{64} in \/globbed\/ $/);
  assert.match(h[3], /^\/bin\/sh -c #\(nop\) COPY dir:[0-9a-f]{64} in \/copied-dir $/);
  assert.match(h[7], /^\/bin\/sh -c #\(nop\) COPY --chown=nobody:nogroupfile:[0-9a-f]{64} in owned\/ $/);
  assert.match(h[11], /^\/bin\/sh -c #\(nop\) ADD file:[0-9a-f]{64} in \/opt\/ $/);
  // Same content, same hash: the file hash depends on the bytes and the tar header, not the name used.
  assert.equal(h[0].split(' ')[4], h[1].split(' ')[4]);
});

test('ADD <url> fetches from a server on 127.0.0.1: named from the URL, 0600, Last-Modified as mtime; never extracted', async () => {
  const http = await import('node:http');
  const { gzipSync } = await import('node:zlib');
  const server = http.createServer((req, res) => {
    if (req.url === '/files/tool.sh') {
      res.writeHead(200, { 'Last-Modified': 'Wed, 21 Oct 2015 07:28:00 GMT' });
      res.end('#!/bin/sh\necho tool\n');
    } else if (req.url === '/files/archive.tar.gz') {
      res.end(gzipSync(Buffer.alloc(1024)));
    } else if (req.url === '/') {
      res.end('no name\n');
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  try {
    const ctx = writeContext(d, {
      Dockerfile: `FROM busybox\nADD ${base}/files/tool.sh /opt/\nADD ${base}/files/archive.tar.gz /a/\nADD ${base}/ /noname\n`,
    });
    const r = await build(d, ctx, '--network', 'host', '-t', 'fetched');
    assert.equal(r.code, 0, r.stderr);
    const out = await cli(d, 'run', '--rm', 'fetched', 'sh', '-c', 'stat -c "%a %Y" /opt/tool.sh; cat /opt/tool.sh /noname; ls /a');
    assert.equal(out.stdout, '600 1445412480\n#!/bin/sh\necho tool\nno name\narchive.tar.gz\n');
    const missing = writeContext(d, { Dockerfile: `FROM busybox\nADD ${base}/nope /x\n` });
    const m = await build(d, missing);
    assert.equal(m.code, 1);
    assert.match(m.stderr, /404/);
    const noName = writeContext(d, { Dockerfile: `FROM busybox\nADD ${base}/ /dir/\n` });
    const n = await build(d, noName);
    assert.equal(n.code, 1);
    assert.match(n.stderr, /cannot determine filename for source http:\/\/127\.0\.0\.1:\d+\//);
  } finally {
    server.close();
  }
});

test('multi-stage: COPY --from a stage by name and by index, FROM an earlier stage; the final image is small', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'FROM busybox AS builder',
      'RUN dd if=/dev/zero of=/big bs=1M count=8 2>/dev/null && echo artifact > /artifact',
      'FROM builder AS second',
      'RUN echo second > /second',
      'FROM scratch',
      'COPY --from=builder /artifact /artifact',
      'COPY --from=1 /second /second',
      'COPY --from=busybox /bin/busybox /bin/busybox',
      'CMD ["/bin/busybox", "cat", "/artifact", "/second"]',
      '',
    ].join('\n'),
  });
  const r = await build(d, ctx, '-t', 'small');
  assert.equal(r.code, 0, r.stderr);
  assert.equal((r.stdout.match(/^ ---> Running in /gm) ?? []).length, 3, 'two RUNs and the CMD');
  const img = await inspect(d, 'small');
  assert.ok(img.Size < 3_000_000, `final image ${img.Size} bytes`);
  assert.equal((await inspect(d, 'small')).RootFS.Layers.length, 3);
  assert.equal((await cli(d, 'run', '--rm', 'small')).stdout, 'artifact\nsecond\n');
  // Both stages' images are there, untagged, as in Docker (each stage's ID was announced).
  const aux = r.stdout.match(/^Successfully built ([0-9a-f]{12})$/m);
  assert.ok(aux);
});

test('ARG before FROM, ARG scoping per stage, --build-arg, the unused-arg warning; ONBUILD triggers run in the child', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'ARG BASE=busybox',
      'ARG GLOBAL=g',
      'FROM ${BASE}',
      'ARG GLOBAL',
      'ARG LOCAL=l',
      'RUN echo "$GLOBAL $LOCAL $UNDECLARED" > /args',
      'ONBUILD RUN echo triggered > /trigger',
      '',
    ].join('\n'),
  });
  const r = await build(d, ctx, '-t', 'args:1', '--build-arg', 'LOCAL=cli', '--build-arg', 'UNDECLARED=x', '--build-arg', 'NOPE=1');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /\[Warning\] One or more build-args \[NOPE UNDECLARED\] were not consumed\n/);
  assert.equal((await cli(d, 'run', '--rm', 'args:1', 'cat', '/args')).stdout, 'g cli \n');
  const h = await history(d, 'args:1');
  assert.ok(h.some((e) => e.CreatedBy === '|2 GLOBAL=g LOCAL=cli /bin/sh -c echo "$GLOBAL $LOCAL $UNDECLARED" > /args'));

  const child = writeContext(d, { Dockerfile: 'FROM args:1\nRUN cat /trigger\n' });
  const c = await build(d, child, '-t', 'args:child');
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /Step 1\/2 : FROM args:1\n# Executing 1 build trigger\n ---> Running in [0-9a-f]{12}\nRemoving intermediate container [0-9a-f]{12}\n ---> [0-9a-f]{12}\nStep 2\/2 : RUN cat \/trigger\n ---> Running in [0-9a-f]{12}\ntriggered\n/);
  assert.equal((await inspect(d, 'args:child')).Config.OnBuild, null);
});

test('heredocs (RUN and COPY) and RUN --mount=type=cache, whose directory is kept across builds and stays out of the image', async () => {
  const ctx = writeContext(d, {
    Dockerfile: [
      'FROM busybox',
      'RUN --mount=type=cache,target=/var/cache/app echo run >> /var/cache/app/log && wc -l < /var/cache/app/log > /runs',
      'RUN <<EOF',
      'echo line1 > /heredoc',
      'echo line2 >> /heredoc',
      'EOF',
      "RUN <<'SCRIPT'",
      '#!/bin/sh',
      'echo from a script > /script-out',
      'SCRIPT',
      'COPY <<EOF /etc/motd',
      'welcome',
      'EOF',
      '',
    ].join('\n'),
  });
  await buildOk(d, ctx, '-t', 'here:1');
  assert.equal((await cli(d, 'run', '--rm', 'here:1', 'cat', '/runs', '/heredoc', '/script-out', '/etc/motd')).stdout, '1\nline1\nline2\nfrom a script\nwelcome\n');
  const second = await build(d, ctx, '--no-cache', '-t', 'here:2');
  assert.equal(second.code, 0, second.stderr);
  assert.equal((await cli(d, 'run', '--rm', 'here:2', 'sh', '-c', 'cat /runs; ls -A /var/cache/app | wc -l; ls -a / | grep -c berth || true')).stdout, '2\n0\n0\n');
});
