// Text rendering of index progress for the terminal.
import type { IndexProgress } from '../../shared/protocol/index.ts';

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${units[i]}`;
}

export function progressLine(p: IndexProgress, width = 24): string {
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}]`;
  const eta = p.etaMs !== null ? `  ETA ${Math.ceil(p.etaMs / 1000)}s` : '';
  const more = p.scanning ? '+' : '';
  return `${bar} ${p.phase} ${p.filesDone}/${p.filesTotal}${more} files  ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}${more}  ${formatBytes(p.rate)}/s${eta}`;
}
