// The indexing progress bar: shown while the engine backfills or catches up.
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
  if (!p || p.phase === 'idle' || p.filesTotal === 0 || p.filesDone >= p.filesTotal) return null;
  const frac = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesDone / Math.max(1, p.filesTotal);
  const eta = p.etaMs !== null ? ` · about ${Math.ceil(p.etaMs / 1000)} s left` : '';
  return (
    <div className="index-progress" role="progressbar" aria-label="Indexing" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(frac * 100)} data-testid="index-progress">
      <div className="index-progress-bar" style={{ width: `${Math.round(frac * 100)}%` }} />
      <span className="index-progress-text">
        Indexing {formatCount(p.filesDone)} / {formatCount(p.filesTotal)} rollouts · {formatBytes(p.rate)}/s{eta}
      </span>
    </div>
  );
}
