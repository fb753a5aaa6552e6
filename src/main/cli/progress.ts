// Text rendering of index progress for the terminal.
import type { IndexProgress } from '../../shared/protocol/index.ts';
import { formatBytes } from '../../shared/format-bytes.ts';

export function progressLine(p: IndexProgress, width = 24): string {
  const frac = p.bytesTotal > 0 ? Math.min(1, p.bytesDone / p.bytesTotal) : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(frac * width);
  const bar = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}]`;
  const eta = p.etaMs !== null ? `  ETA ${Math.ceil(p.etaMs / 1000)}s` : '';
  const more = p.scanning ? '+' : '';
  return `${bar} ${p.phase} ${p.filesDone}/${p.filesTotal}${more} files  ${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}${more}  ${formatBytes(p.rate)}/s${eta}`;
}
