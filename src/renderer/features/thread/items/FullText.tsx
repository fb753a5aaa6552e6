// The whole of a string the engine showed cut (a command output of hundreds of megabytes): loaded a
// page (1 MiB) at a time through `spool/item/text` and shown as fixed-height rows in a virtualised
// list, so neither memory nor layout grows with the text. Lines longer than a row wrap into
// continuation rows. It can also be saved whole to a file.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { getBridge } from '../../../bridge/index.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { fullText } from '../export/collect.ts';
import { saveFile } from '../host.ts';
import { useThreadCtx } from '../context.ts';

const PAGE_BYTES = 1024 * 1024;
const ROW_HEIGHT = 18;
const CHAR_WIDTH = 7.22; // 12px monospace; rows are cut at the width's character count

interface Row {
  text: string;
  /** A continuation of the previous row's line. */
  cont: boolean;
}

function rowsOf(text: string, cols: number): Row[] {
  const rows: Row[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end - start <= cols) rows.push({ text: text.slice(start, end), cont: false });
    else for (let at = start; at < end; at += cols) rows.push({ text: text.slice(at, Math.min(end, at + cols)), cont: at !== start });
    start = end + 1;
  }
  return rows;
}

interface Props {
  handle: string;
  totalBytes: number;
  /** File name offered when saving. */
  saveName: string;
}

export function FullText({ handle, totalBytes, saveName }: Props): React.JSX.Element {
  const { threadId } = useThreadCtx();
  const [starts, setStarts] = useState<number[]>([0]);
  const [page, setPage] = useState(0);
  const [loaded, setLoaded] = useState<{ page: number; text: string; nextOffset: number | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const [cols, setCols] = useState(160);
  const parentRef = useRef<HTMLDivElement>(null);
  const pages = Math.max(1, Math.ceil(totalBytes / PAGE_BYTES));

  useEffect(() => {
    let cancelled = false;
    const offset = starts[page] ?? page * PAGE_BYTES;
    getBridge()
      .request('spool/item/text', { threadId, handle, offset, limit: PAGE_BYTES })
      .then((r) => {
        if (cancelled) return;
        setLoaded({ page, text: r.text, nextOffset: r.nextOffset });
        setError(null);
        if (r.nextOffset !== null) setStarts((s) => (s[page + 1] === undefined ? Object.assign([...s], { [page + 1]: r.nextOffset! }) : s));
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
    // `starts` only grows; the page's start is known when it is asked for.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [threadId, handle, page]);

  useLayoutEffect(() => {
    const el = parentRef.current;
    if (!el) return;
    const measure = (): void => setCols(Math.max(40, Math.floor((el.clientWidth - 16) / CHAR_WIDTH)));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const rows = useMemo(() => (loaded ? rowsOf(loaded.text, cols) : []), [loaded, cols]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => parentRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 20,
  });

  useEffect(() => {
    parentRef.current?.scrollTo({ top: 0 });
  }, [page]);

  const save = (): void => {
    setSaving('Loading…');
    void fullText((p) => getBridge().request('spool/item/text', p), threadId, handle)
      .then((text) => saveFile(saveName, [text], 'text/plain;charset=utf-8'))
      .then((r) => setSaving(r.saved ? (r.path ? `Saved to ${r.path}` : 'Downloaded') : null))
      .catch((e: unknown) => setSaving(`Could not save: ${e instanceof Error ? e.message : String(e)}`));
  };

  return (
    <div className="full-text" data-testid="full-text">
      <div className="full-text-bar">
        <span>
          {formatBytes(totalBytes)}
          {pages > 1 ? ` · page ${page + 1} of ${pages}` : ''}
        </span>
        {pages > 1 ? (
          <>
            <button type="button" className="link" disabled={page === 0} onClick={() => setPage((p) => p - 1)}>
              ‹ Previous
            </button>
            <button
              type="button"
              className="link"
              disabled={loaded?.page !== page || loaded.nextOffset === null}
              onClick={() => setPage((p) => p + 1)}
            >
              Next ›
            </button>
          </>
        ) : null}
        <span className="spacer" />
        <button type="button" className="link" onClick={save} disabled={saving === 'Loading…'}>
          Save to file…
        </button>
        {saving ? <span className="muted">{saving}</span> : null}
      </div>
      {error ? <div className="item-error">Could not load the text: {error}</div> : null}
      <div
        ref={parentRef}
        className="full-text-rows"
        style={{ height: Math.min(480, Math.max(ROW_HEIGHT * 3, rows.length * ROW_HEIGHT + 8)) }}
      >
        {loaded === null && !error ? <div className="muted pad">Loading…</div> : null}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = rows[v.index]!;
            return (
              <div key={v.key} className={`full-text-row${r.cont ? ' cont' : ''}`} style={{ transform: `translateY(${v.start}px)` }}>
                {r.text}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
