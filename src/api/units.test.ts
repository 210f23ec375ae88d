// Expected values come from docker/go-units' duration_test.go and size_test.go.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GB, GiB, KB, KiB, MB, MiB, PB, PiB, TB, TiB, bytesSize, fromHumanSize, humanDuration, humanSize, ramInBytes } from './units.js';

const sec = 1000;
const min = 60 * sec;
const hour = 60 * min;
const day = 24 * hour;
const week = 7 * day;
const month = 30 * day;
const year = 365 * day;

test('humanDuration matches go-units HumanDuration', () => {
  const cases: [number, string][] = [
    [450, 'Less than a second'],
    [0, 'Less than a second'],
    [-5 * sec, 'Less than a second'],
    [1 * sec, '1 second'],
    [45 * sec, '45 seconds'],
    [59 * sec, '59 seconds'],
    [60 * sec, 'About a minute'],
    [3 * min, '3 minutes'],
    [35 * min + 40 * sec, '35 minutes'],
    [59 * min, '59 minutes'],
    [1 * hour, 'About an hour'],
    [1 * hour + 29 * min, 'About an hour'],
    [1 * hour + 31 * min, '2 hours'],
    [3 * hour + 29 * min, '3 hours'],
    [3 * hour + 31 * min, '4 hours'],
    [3 * hour + 60 * min, '4 hours'],
    [24 * hour, '24 hours'],
    [1 * day + 12 * hour, '36 hours'],
    [2 * day, '2 days'],
    [7 * day, '7 days'],
    [13 * day + 5 * hour, '13 days'],
    [2 * week, '2 weeks'],
    [2 * week + 4 * day, '2 weeks'],
    [4 * week + 3 * day, '4 weeks'],
    [1 * month, '4 weeks'],
    [1 * month + 2 * week, '6 weeks'],
    [2 * month, '2 months'],
    [3 * month + 1 * week, '3 months'],
    [5 * month + 2 * week, '5 months'],
    [13 * month, '13 months'],
    [24 * month, '24 months'],
    [24 * month + 2 * week, '2 years'],
    [3 * year + 2 * month, '3 years'],
  ];
  for (const [ms, want] of cases) assert.equal(humanDuration(ms), want, `humanDuration(${ms})`);
});

test('humanSize with precision 4 matches go-units HumanSize', () => {
  assert.equal(humanSize(1000, 4), '1kB');
  assert.equal(humanSize(1024, 4), '1.024kB');
  assert.equal(humanSize(1000000, 4), '1MB');
  assert.equal(humanSize(1048576, 4), '1.049MB');
  assert.equal(humanSize(2 * MB, 4), '2MB');
  assert.equal(humanSize(3.42 * GB, 4), '3.42GB');
  assert.equal(humanSize(5.372 * TB, 4), '5.372TB');
  assert.equal(humanSize(2.22 * PB, 4), '2.22PB');
  assert.equal(humanSize(10000000000000 * PB, 4), '1e+04YB');
});

test('humanSize defaults to the CLI precision of 3 (docker images SIZE column)', () => {
  assert.equal(humanSize(4257000), '4.26MB'); // busybox-sized image
  assert.equal(humanSize(1200), '1.2kB');
  assert.equal(humanSize(0), '0B');
  assert.equal(humanSize(523), '523B');
  assert.equal(humanSize(72_800_000), '72.8MB');
  assert.equal(humanSize(1048576), '1.05MB');
  // Go's %.3g switches to exponent form when rounding reaches 1000.
  assert.equal(humanSize(999_999), '1e+03kB');
});

test('bytesSize matches go-units BytesSize', () => {
  assert.equal(bytesSize(1024), '1KiB');
  assert.equal(bytesSize(1024 * 1024), '1MiB');
  assert.equal(bytesSize(2 * MiB), '2MiB');
  assert.equal(bytesSize(3.42 * GiB), '3.42GiB');
  assert.equal(bytesSize(5.372 * TiB), '5.372TiB');
  assert.equal(bytesSize(2.22 * PiB), '2.22PiB');
  assert.equal(bytesSize(KiB * KiB * KiB * KiB * KiB * PiB), '1.049e+06YiB');
  assert.equal(bytesSize(1.5 * GiB), '1.5GiB');
  assert.equal(bytesSize(0), '0B');
});

test('fromHumanSize uses decimal multipliers', () => {
  const ok: [string, number][] = [
    ['32', 32], ['32b', 32], ['32B', 32], ['32k', 32 * KB], ['32K', 32 * KB], ['32kb', 32 * KB], ['32Kb', 32 * KB],
    ['32Mb', 32 * MB], ['32Gb', 32 * GB], ['32Tb', 32 * TB], ['32Pb', 32 * PB], ['32.5kB', 32.5 * KB],
    ['32.5 kB', 32.5 * KB], ['32.5 B', 32], ['0.3 K', 300], ['10m', 10_000_000],
  ];
  for (const [s, want] of ok) assert.equal(fromHumanSize(s), want, s);
  for (const bad of ['', 'hello', '-32', '.3kB', ' 32 ', '32m b', '32bm']) {
    assert.throws(() => fromHumanSize(bad), { message: `invalid size: '${bad}'` });
  }
});

test('ramInBytes uses binary multipliers', () => {
  const ok: [string, number][] = [
    ['32', 32], ['32b', 32], ['32k', 32 * KiB], ['32Kib', 32 * KiB], ['32KIB', 32 * KiB], ['32Mb', 32 * MiB],
    ['32Gb', 32 * GiB], ['32Tb', 32 * TiB], ['32Pb', 32 * PiB], ['32PB', 32 * PiB], ['32P', 32 * PiB],
    ['32.3', 32], ['32.3 mb', Math.trunc(32.3 * MiB)], ['0.3MB', Math.trunc(0.3 * MiB)], ['512m', 536870912],
  ];
  for (const [s, want] of ok) assert.equal(ramInBytes(s), want, s);
  for (const bad of ['', 'hello', '-32', ' 32 ', '32m b', '32bm', '1x']) {
    assert.throws(() => ramInBytes(bad), { message: `invalid size: '${bad}'` });
  }
  // Matches the regexp but not strconv.ParseFloat, as in Go.
  assert.throws(() => ramInBytes('1.2.3m'), { message: 'strconv.ParseFloat: parsing "1.2.3": invalid syntax' });
});
