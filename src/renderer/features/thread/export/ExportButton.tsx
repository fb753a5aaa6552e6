// Export the open thread as Markdown or JSON: everything is fetched (every turn, cut outputs in
// full, with progress), then saved through a save dialog (Electron) or downloaded (browser).
import { useState } from 'react';
import { getBridge } from '../../../bridge/index.ts';
import type { Thread } from '../../../../shared/protocol/index.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { collectThread, type ExportProgress } from './collect.ts';
import { exportFileName, jsonParts, markdownParts } from './formats.ts';
import { saveFile } from '../host.ts';

const EXPORTED_BY = 'Spool';

export function ExportButton({ thread }: { thread: Thread }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = (format: 'md' | 'json'): void => {
    setOpen(false);
    setBusy(true);
    setStatus('Preparing export…');
    const bridge = getBridge();
    const show = (p: ExportProgress): void =>
      setStatus(
        p.textTotal > 0
          ? `Loading full outputs… ${formatBytes(p.textBytes)} of ${formatBytes(p.textTotal)}`
          : `Loading turns… ${p.turns.toLocaleString()}`,
      );
    void collectThread(
      {
        read: (p) => bridge.request('thread/read', p),
        turns: (p) => bridge.request('thread/turns/list', p),
        text: (p) => bridge.request('spool/item/text', p),
      },
      thread.id,
      show,
    )
      .then((c) => {
        const at = new Date().toISOString();
        const parts = format === 'md' ? markdownParts(c, at) : jsonParts(c, at, EXPORTED_BY);
        return saveFile(exportFileName(c.thread, format), parts, format === 'md' ? 'text/markdown;charset=utf-8' : 'application/json');
      })
      .then((r) => setStatus(r.saved ? (r.path ? `Saved to ${r.path}` : 'Export downloaded') : null))
      .catch((e: unknown) => setStatus(`Export failed: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => setBusy(false));
  };

  return (
    <div className="export">
      <button
        type="button"
        className="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        disabled={busy}
        data-testid="export"
      >
        Export
      </button>
      {open ? (
        <div
          className="menu"
          role="menu"
          onMouseLeave={() => setOpen(false)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setOpen(false);
          }}
        >
          <button type="button" role="menuitem" onClick={() => run('md')} data-testid="export-markdown">
            Markdown (.md)
          </button>
          <button type="button" role="menuitem" onClick={() => run('json')} data-testid="export-json">
            JSON (.json)
          </button>
        </div>
      ) : null}
      {status ? (
        <span className="export-status muted small" role="status" data-testid="export-status">
          {status}
        </span>
      ) : null}
    </div>
  );
}
