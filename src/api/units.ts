// Ports of github.com/docker/go-units (duration.go, size.go) so human-readable
// sizes and durations match what the Docker CLI prints.

export const KB = 1000;
export const MB = 1000 * KB;
export const GB = 1000 * MB;
export const TB = 1000 * GB;
export const PB = 1000 * TB;
export const KiB = 1024;
export const MiB = 1024 * KiB;
export const GiB = 1024 * MiB;
export const TiB = 1024 * GiB;
export const PiB = 1024 * TiB;

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * units.HumanDuration for a duration in milliseconds, e.g. "About a minute", "3 weeks".
 * Seconds and minutes truncate; hours are rounded to the nearest hour first (halves round up).
 */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.trunc(ms / MINUTE);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const r = ms % HOUR; // time.Duration.Round(time.Hour)
  const hours = (r + r < HOUR ? ms - r : ms + HOUR - r) / HOUR;
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.trunc(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.trunc(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24 / 30)} months`;
  return `${Math.trunc(Math.trunc(ms / HOUR) / 24 / 365)} years`;
}

const DECIMAL_ABBRS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const BINARY_ABBRS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

/** Go's fmt "%.<prec>g" for a non-negative finite number (trailing zeros dropped). */
function formatG(x: number, prec: number): string {
  if (x === 0) return '0';
  const p = Math.max(prec, 1);
  const [m, e] = x.toExponential(p - 1).split('e') as [string, string];
  const digits = m.replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(e);
  if (exp < -4 || exp >= p) {
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const dp = exp + 1;
  if (dp <= 0) return '0.' + '0'.repeat(-dp) + digits;
  if (dp >= digits.length) return digits + '0'.repeat(dp - digits.length);
  return digits.slice(0, dp) + '.' + digits.slice(dp);
}

function sizeAndUnit(size: number, base: number, abbrs: string[]): [number, string] {
  let i = 0;
  while (size >= base && i < abbrs.length - 1) {
    size /= base;
    i++;
  }
  return [size, abbrs[i]!];
}

/**
 * units.HumanSizeWithPrecision: decimal units formatted with Go's %.<precision>g,
 * e.g. humanSize(4257000) === "4.26MB".
 * The default precision 3 is what docker/cli uses for image, container and network
 * sizes; pass 4 for go-units' HumanSize (used by e.g. `docker system df`).
 * Like Go's %g, values that round up to 1000 use exponent form ("1e+03kB").
 */
export function humanSize(bytes: number, precision = 3): string {
  const [size, unit] = sizeAndUnit(bytes, 1000, DECIMAL_ABBRS);
  return formatG(size, precision) + unit;
}

/** units.BytesSize: binary units with %.4g, e.g. "1.5GiB", "44KiB". */
export function bytesSize(bytes: number): string {
  const [size, unit] = sizeAndUnit(bytes, 1024, BINARY_ABBRS);
  return formatG(size, 4) + unit;
}

// Same as go-units' sizeRegex: (?i)^(\d+(\.\d+)*) ?([kmgtp])?i?b?$
const SIZE_RE = /^(\d+(\.\d+)*) ?([kmgtp])?i?b?$/i;

function parseSize(sizeStr: string, base: number): number {
  const m = SIZE_RE.exec(sizeStr);
  if (!m) throw new Error(`invalid size: '${sizeStr}'`);
  if (!/^\d+(\.\d+)?$/.test(m[1]!)) {
    throw new Error(`strconv.ParseFloat: parsing ${JSON.stringify(m[1])}: invalid syntax`);
  }
  let size = Number(m[1]);
  const prefix = (m[3] ?? '').toLowerCase();
  const exp = 'kmgtp'.indexOf(prefix);
  if (prefix && exp >= 0) size *= base ** (exp + 1);
  return Math.trunc(size); // int64(size)
}

/** units.FromHumanSize: decimal multipliers, e.g. "10m" -> 10000000. Throws `invalid size: '...'`. */
export function fromHumanSize(size: string): number {
  return parseSize(size, 1000);
}

/** units.RAMInBytes: binary multipliers, e.g. "512m" -> 536870912. Throws `invalid size: '...'`. */
export function ramInBytes(size: string): number {
  return parseSize(size, 1024);
}
