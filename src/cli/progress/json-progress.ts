// jsonmessage.JSONProgress.String(): the bar and sizes the docker CLI draws from a message's
// progressDetail, at the terminal's width (no bar at 110 columns or less).
import { humanSize } from '../../api/units.js';

export interface ProgressDetail {
  current?: number;
  total?: number;
  units?: string;
  hidecounts?: boolean;
}

export function renderProgress(p: ProgressDetail, width: number): string {
  const current = p.current ?? 0;
  const total = p.total ?? 0;
  if (current <= 0 && total <= 0) return '';
  if (total <= 0) return p.units ? `${current} ${p.units}` : humanSize(current, 4).padStart(8);
  const pct = Math.min(Math.trunc(Math.trunc((current / total) * 100) / 2), 50);
  let bar = '';
  if (width > 110) bar = `[${'='.repeat(pct)}>${' '.repeat(Math.max(50 - pct, 0))}] `;
  let numbers = '';
  if (!p.hidecounts) {
    if (p.units) numbers = current > total ? `${current} ${p.units}` : `${current}/${total} ${p.units}`;
    else numbers = current > total ? humanSize(current, 4).padStart(8) : `${humanSize(current, 4).padStart(8)}/${humanSize(total, 4)}`;
  }
  return bar + numbers;
}
