// The indexing progress bar: shown while the engine backfills or catches up (also while another
// Spool process on the same data folder does the backfill: the engine relays its progress) — files
// and bytes done, the rate and the time left.
import { useEffect, useState } from 'react';
import { getBridge } from '../bridge/index.ts';
import type { IndexProgress as Progress } from '../../shared/protocol/index.ts';
import { formatCount, formatDuration } from '../lib/format.ts';
import { formatBytes } from '../../shared/format-bytes.ts';

export function useIndexProgress(): Progress | null {
  const [p, setP] = useState<Progress | null>(null);
  useEffect(() => {
    getBridge()
      .request('spool/index/status')
      .then(setP)
      .catch(() => undefined);
    return getBridge().subscribe((n) => {
      if (n.method === 'spool/index/progress') setP(n.params);
    });
  }, []);
  return p;
}

export const isIndexing = (p: Progress | null): boolean =>
  p !== null && p.phase !== 'idle' && p.filesTotal > 0 && (p.filesDone < p.filesTotal || p.scanning === true);

export function IndexProgress({ progress: p }: { progress: Progress | null }): React.JSX.Element | null {
  if (!p || !isIndexing(p)) return null;
  // While the walk is still finding files the totals grow: show the share of what is known so far.
  const frac = Math.min(1, p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesDone / Math.max(1, p.filesTotal));
  const pct = Math.round(frac * 100);
  const what = p.phase === 'backfill' ? 'Indexing your Codex home' : 'Catching up';
  return (
    <div
      className="index-progress"
      role="progressbar"
      aria-label={what}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      data-testid="index-progress"
    >
      <div className="index-progress-bar" style={{ width: `${pct}%` }} />
      <span className="index-progress-text">
        <strong>{what}</strong>
        <span>
          {formatCount(p.filesDone)} of {p.scanning ? `${formatCount(p.filesTotal)}+ (still counting)` : formatCount(p.filesTotal)} rollouts
        </span>
        <span>
          {formatBytes(p.bytesDone)} of {formatBytes(p.bytesTotal)}
        </span>
        {p.rate > 0 ? <span>{formatBytes(p.rate)}/s</span> : null}
        {p.etaMs !== null ? <span>about {formatDuration(p.etaMs)} left</span> : null}
        <span className="muted">· threads appear as they are indexed</span>
      </span>
    </div>
  );
}
