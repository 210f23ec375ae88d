// docker's timetypes.GetTimestamp: "10m", RFC 3339 dates, or Unix seconds,
// turned into the "seconds.nanoseconds" string the API takes.
import { parseGoDuration } from './flags.js';

export function apiTimestamp(value: string, now = Date.now()): string {
  if (value === '') return '';
  if (/^\d+(\.\d+)?$/.test(value)) return value;
  try {
    const ms = parseGoDuration(value);
    return secondsString(now - ms);
  } catch {
    // not a duration
  }
  const withZone = /Z$|[+-]\d\d:?\d\d$/.test(value) ? value : /T/.test(value) ? `${value}Z` : `${value}T00:00:00Z`;
  const t = Date.parse(withZone);
  if (Number.isNaN(t)) throw new Error(`invalid value for "since": failed to parse value as time or duration: "${value}"`);
  return secondsString(t);
}

function secondsString(ms: number): string {
  const s = Math.floor(ms / 1000);
  const nanos = Math.round((ms - s * 1000) * 1e6);
  return `${s}.${String(nanos).padStart(9, '0')}`;
}
