// What berthd does to make container starts fast: cgroup2's favordynmods, and volatile layers for --rm.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { favordynmodsRemount, findCgroup2Mount } from '../../../src/host/cgroup-favordynmods.js';
import { native } from '../../../src/host/native.js';
import { importBusybox, runCli, startBerthd, type BerthdHandle } from '../../helpers/daemon.js';

const mountinfo = () => readFileSync('/proc/self/mountinfo', 'utf8');
const favoured = () => findCgroup2Mount(mountinfo())?.superOptions.includes('favordynmods') ?? false;
const hasCgroup2 = findCgroup2Mount(mountinfo()) !== undefined;
const wasFavoured = favoured();

/** Sets the option as the test needs it; the host gets its original state back in after(). */
function setFavoured(on: boolean): void {
  const m = findCgroup2Mount(mountinfo())!;
  const { flags, data } = favordynmodsRemount({ ...m, superOptions: m.superOptions.filter((o) => o !== 'favordynmods') });
  native().mount(null, m.target, null, flags, on ? data : data.replace(/,?favordynmods$/, ''));
}

let d: BerthdHandle | undefined;
after(async () => {
  await d?.stop();
  if (hasCgroup2) setFavoured(wasFavoured);
});

test('berthd turns on favordynmods; --cgroup-favordynmods=false leaves cgroup2 as it is', { skip: !hasCgroup2 && 'no cgroup2 mount on this host' }, async () => {
  setFavoured(false);
  const off = await startBerthd({ args: ['--cgroup-favordynmods=false'] });
  await off.stop();
  assert.equal(favoured(), false, 'berthd changed cgroup2 although told not to');
  d = await startBerthd();
  assert.equal(favoured(), true, 'berthd did not remount cgroup2 with favordynmods');
  const before = findCgroup2Mount(mountinfo())!;
  // The remount kept every other option of the mount.
  setFavoured(false);
  const after = findCgroup2Mount(mountinfo())!;
  assert.deepEqual(after.mountOptions, before.mountOptions);
  assert.deepEqual(after.superOptions, before.superOptions.filter((o) => o !== 'favordynmods'));
});

test('a --rm container mounts its layer volatile; a kept container does not', async () => {
  d ??= await startBerthd();
  await importBusybox(d.socket);
  const cli = (...args: string[]) => runCli(args, { socket: d!.socket });
  const rm = (await cli('run', '-d', '--rm', 'busybox', 'sleep', '60')).stdout.trim();
  const kept = (await cli('run', '-d', 'busybox', 'sleep', '60')).stdout.trim();
  const superOptions = (id: string) => {
    const target = path.join(d!.dataRoot, 'containers', id, 'bundle', 'rootfs');
    const line = mountinfo().split('\n').find((l) => l.split(' ')[4] === target);
    assert.ok(line, `no mount at ${target}`);
    return line.split(' - ')[1].split(' ')[2].split(',');
  };
  // Kernels since 6.6 show the option as fsync=volatile.
  const volatile = (opts: string[]) => opts.includes('volatile') || opts.includes('fsync=volatile');
  assert.ok(volatile(superOptions(rm)), superOptions(rm).join(','));
  assert.ok(!volatile(superOptions(kept)), superOptions(kept).join(','));
  assert.equal((await cli('rm', '-f', rm, kept)).code, 0);
});
