// JSON progress messages as dockerd streams them (pkg/jsonmessage, pkg/progress): per-layer status
// lines keyed by a short ID, byte progress with the bar text dockerd renders at its default width.
import type { JsonMessage } from '../api/types.js';
import { humanSize } from '../api/units.js';
import { hexOf } from '../oci/digest.js';

export type ProgressSink = (m: JsonMessage) => void;

/** dockerd sends a byte update every 512 KiB (progressreader's updateEvery) and at the end. */
const UPDATE_EVERY = 512 * 1024;

/** The 12-hex short ID layers are shown under. */
export function shortDigest(digest: string): string {
  return hexOf(digest).slice(0, 12);
}

/** JSONProgress.String() at dockerd's width (200: always the bar), without a time estimate. */
export function progressBar(current: number, total: number): string {
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return humanSize(current, 4).padStart(8);
  const pct = Math.min(Math.trunc(Math.trunc((current / total) * 100) / 2), 50);
  const bar = `[${'='.repeat(pct)}>${' '.repeat(Math.max(50 - pct, 0))}] `;
  const numbers = current > total ? humanSize(current, 4).padStart(8) : `${humanSize(current, 4).padStart(8)}/${humanSize(total, 4)}`;
  return bar + numbers;
}

/** {"status":"Pull complete","progressDetail":{},"id":"…"} */
export function layerStatus(id: string, status: string): JsonMessage {
  return { status, progressDetail: {}, id };
}

export function layerBytes(id: string, status: string, current: number, total: number): JsonMessage {
  return { status, progressDetail: { current, total }, progress: progressBar(current, total), id };
}

/** Byte progress for one layer, throttled as dockerd's progress reader is. */
export class ByteProgress {
  private last = -1;

  constructor(
    private readonly sink: ProgressSink,
    private readonly id: string,
    private readonly action: string,
  ) {}

  update(current: number, total: number, force = false): void {
    if (!force && this.last >= 0 && current - this.last < UPDATE_EVERY && current < total) return;
    if (current === this.last) return;
    this.last = current;
    this.sink(layerBytes(this.id, this.action, current, total));
  }
}
