// The indexing progress bar: shown while the engine backfills or catches up (also while another
// Spool process on the same data folder does the backfill: the engine relays its progress).
import { useEffect, useState } from 'react';
import { getBridge } from '../bridge/index.ts';
import type { IndexProgress as Progress } from '../../shared/protocol/index.ts';
import { formatBytes, formatCount } from '../lib/format.ts';

export function IndexProgress(): React.JSX.Element | null {
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
  if (!p || p.phase === 'idle' || p.filesTotal === 0 || (p.filesDone >= p.filesTotal && !p.scanning)) return null;
  // While the walk is still finding files the totals grow: show the share of what is known so far.
  const frac = Math.min(1, p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesDone / Math.max(1, p.filesTotal));
  const eta = p.etaMs !== null ? ` · about ${Math.ceil(p.etaMs / 1000)} s left` : '';
  const verb = p.phase === 'backfill' ? 'Indexing' : 'Catching up:';
  const total = p.scanning ? `${formatCount(p.filesTotal)}+ (still counting)` : formatCount(p.filesTotal);
  return (
    <div className="index-progress" role="progressbar" aria-label="Indexing" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)} data-testid="index-progress">
      <div className="index-progress-bar" style={{ width: `${Math.round(frac * 100)}%` }} />
      <span className="index-progress-text">
        {verb} {formatCount(p.filesDone)} / {total} rollouts · {formatBytes(p.bytesDone)} of {formatBytes(p.bytesTotal)} · {formatBytes(p.rate)}/s{eta}
      </span>
    </div>
  );
}
