// The selected thread's metadata. (The thread view replaces this; it gets the thread and, from a
// search hit's deep link, the turn to scroll to and highlight.)
import { useEffect, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { Thread } from '../../../shared/protocol/index.ts';
import { absoluteTime, createdMs, formatBytes, formatCount, sourceLabel, threadTitle, updatedMs } from '../../lib/format.ts';

export function ThreadDetail({ threadId, turnId = null }: { threadId: string; turnId?: string | null }): React.JSX.Element {
  const [state, setState] = useState<{ id: string; thread: Thread | null; error: string | null } | null>(null);

  useEffect(() => {
    let cancelled = false;
    const load = (): void => {
      getBridge()
        .request('thread/read', { threadId })
        .then((r) => !cancelled && setState({ id: threadId, thread: r.thread, error: null }))
        .catch((e: unknown) => !cancelled && setState({ id: threadId, thread: null, error: e instanceof Error ? e.message : String(e) }));
    };
    load();
    const off = getBridge().subscribe((n) => {
      if ((n.method === 'spool/index/changed' && n.params.threadIds.includes(threadId)) || (n.method === 'thread/name/updated' && n.params.threadId === threadId)) load();
    });
    return () => {
      cancelled = true;
      off();
    };
  }, [threadId]);

  if (!state || state.id !== threadId) return <div className="detail-empty">Loading…</div>;
  if (state.error !== null || !state.thread) return <div className="detail-empty error">{state.error}</div>;
  const thread = state.thread;
  const x = thread.extra?.spool;
  const rows: [string, React.ReactNode][] = [
    ['Thread id', <code key="id">{thread.id}</code>],
    ['Working directory', <code key="cwd">{thread.cwd || '—'}</code>],
    ['Model', [thread.modelProvider, thread.model, thread.reasoningEffort].filter(Boolean).join(' · ')],
    ['Source', sourceLabel(thread.source)],
    ['Originator', thread.originator ?? '—'],
    ['CLI version', thread.cliVersion || '—'],
    ['Created', absoluteTime(createdMs(thread))],
    ['Updated', absoluteTime(updatedMs(thread))],
    ['Turns', x ? formatCount(x.turnCount) : '—'],
    ['Tokens', x ? formatCount(x.tokensUsed) : '—'],
    ['Size on disk', x ? formatBytes(x.sizeBytes) : '—'],
    ['History', `${thread.historyMode}${x ? ` (${x.format})` : ''}`],
    ['Git', thread.gitInfo ? [thread.gitInfo.branch, thread.gitInfo.sha?.slice(0, 10), thread.gitInfo.originUrl].filter(Boolean).join(' · ') : '—'],
  ];
  if (thread.agentNickname || x?.agentPath) rows.push(['Agent', [thread.agentNickname, thread.agentRole, x?.agentPath].filter(Boolean).join(' · ')]);
  if (x?.spawnParentId) rows.push(['Parent thread', <code key="p">{x.spawnParentId}</code>]);
  if (x && x.childCount > 0) rows.push(['Sub-agents', formatCount(x.childCount)]);
  if (thread.forkedFromId) rows.push(['Forked from', <code key="f">{thread.forkedFromId}</code>]);
  rows.push(['Rollout', <code key="path">{thread.path}</code>]);

  return (
    <article className="detail" data-testid="thread-detail" aria-label="Thread details">
      <header className="detail-header">
        <h2 data-testid="detail-title">{threadTitle(thread)}</h2>
        {thread.name && thread.preview ? <p className="detail-preview">{thread.preview}</p> : null}
        {x?.archived ? <span className="badge archived">archived</span> : null}
      </header>
      {turnId !== null ? (
        <p className="detail-turn" data-testid="detail-turn" data-turn-id={turnId}>
          Opened at turn <code>{turnId}</code>
        </p>
      ) : null}
      <dl className="meta-grid">
        {rows.map(([k, v]) => (
          <div key={k} className="meta-row">
            <dt>{k}</dt>
            <dd>{v}</dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
