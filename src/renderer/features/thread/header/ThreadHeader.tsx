// The open thread's header: its name (renamed in place), preview, where and how it ran (cwd,
// model, provider, effort, cli version, source), when, what it cost (tokens) and weighs (size on
// disk), its rollout (revealed in the file manager in Electron, or its path copied), the command
// that resumes it in codex, its git metadata (edited in place), and its place in the agent tree.
import { useEffect, useState } from 'react';
import { getBridge } from '../../../bridge/index.ts';
import { ALL_SOURCE_KINDS, type Thread } from '../../../../shared/protocol/index.ts';
import { formatCount, sourceLabel } from '../../../lib/format.ts';
import { formatBytes } from '../../../../shared/format-bytes.ts';
import { copyText, hostInfo, revealRollout } from '../host.ts';
import { useThreadCtx } from '../context.ts';
import { dateTime } from '../format.ts';
import { ExportButton } from '../export/ExportButton.tsx';
import { TitleEditor } from './TitleEditor.tsx';
import { labelOf, useThreadLabel } from '../useThreadLabel.ts';
import { GitEditor } from './GitEditor.tsx';

interface Props {
  thread: Thread;
  patch: (fn: (t: Thread) => Thread) => void;
}

function Copy({ text, label, testId }: { text: string; label: string; testId?: string }): React.JSX.Element {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="link"
      data-testid={testId}
      onClick={() =>
        void copyText(text).then((ok) => {
          setDone(ok);
          setTimeout(() => setDone(false), 1500);
        })
      }
    >
      {done ? 'Copied' : label}
    </button>
  );
}

function ThreadButton({ id, label }: { id: string; label?: string }): React.JSX.Element {
  const { openThread } = useThreadCtx();
  const known = useThreadLabel(id);
  const text = label ?? known ?? `…${id.slice(-8)}`;
  return openThread ? (
    <button type="button" className="link thread-link" onClick={() => openThread(id)} title={id} data-thread-link={id}>
      {text}
    </button>
  ) : (
    <code title={id}>{text}</code>
  );
}

interface Child {
  id: string;
  label: string;
}

function useChildren(thread: Thread): Child[] | null {
  const count = thread.extra?.spool.childCount ?? 0;
  const [children, setChildren] = useState<{ id: string; list: Child[] } | null>(null);
  useEffect(() => {
    if (count === 0) return;
    let cancelled = false;
    getBridge()
      .request('thread/list', {
        parentThreadId: thread.id,
        sourceKinds: [...ALL_SOURCE_KINDS],
        modelProviders: [],
        limit: 100,
        includeEmptyPreview: true,
        sortKey: 'created_at',
        sortDirection: 'asc',
      })
      .then((r) => {
        if (cancelled) return;
        setChildren({ id: thread.id, list: r.data.map((c) => ({ id: c.id, label: labelOf(c) })) });
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [thread.id, count]);
  return count === 0 ? [] : children?.id === thread.id ? children.list : null;
}

export function ThreadHeader({ thread, patch }: Props): React.JSX.Element {
  const x = thread.extra?.spool;
  const [editingGit, setEditingGit] = useState(false);
  const [gitError, setGitError] = useState<string | null>(null);
  const [canReveal, setCanReveal] = useState(false);
  const children = useChildren(thread);
  useEffect(() => {
    void hostInfo().then((h) => setCanReveal(h.canReveal));
  }, []);

  const parentId = x?.spawnParentId ?? thread.parentThreadId;
  const model = [thread.modelProvider, thread.model, thread.reasoningEffort ? `${thread.reasoningEffort} effort` : null]
    .filter(Boolean)
    .join(' · ');
  const git = thread.gitInfo;
  const resume = `codex resume ${thread.id}`;

  return (
    <header className="thread-header" data-testid="thread-header">
      <div className="header-top">
        <TitleEditor thread={thread} patch={patch} />
        <div className="header-actions">
          <Copy text={resume} label="Copy resume command" testId="copy-resume" />
          <ExportButton thread={thread} />
        </div>
      </div>
      {thread.name && thread.preview ? (
        <p className="header-preview" data-testid="header-preview" title={thread.preview}>
          {thread.preview}
        </p>
      ) : null}
      <div className="header-chips">
        <span className="chip" title="source">
          {sourceLabel(thread.source)}
        </span>
        {x?.archived ? <span className="chip warn">archived</span> : null}
        <span className="chip" title="model provider · model · reasoning effort" data-testid="header-model">
          {model}
        </span>
        {thread.cliVersion ? (
          <span className="chip" title="codex CLI version">
            codex {thread.cliVersion}
          </span>
        ) : null}
        {x ? (
          <span className="chip" title={`${x.tokensUsed.toLocaleString()} tokens`} data-testid="header-tokens">
            {formatCount(x.tokensUsed)} tokens
          </span>
        ) : null}
        {x ? (
          <span className="chip" title="size of the rollout on disk">
            {formatBytes(x.sizeBytes)}
          </span>
        ) : null}
        {x ? (
          <span className="chip">
            {formatCount(x.turnCount)} {x.turnCount === 1 ? 'turn' : 'turns'}
          </span>
        ) : null}
      </div>
      <dl className="header-grid">
        <dt>Working directory</dt>
        <dd>
          <code data-testid="header-cwd">{thread.cwd || '—'}</code> {thread.cwd ? <Copy text={thread.cwd} label="Copy" /> : null}
        </dd>
        <dt>Created</dt>
        <dd>
          {dateTime(x?.createdAtMs ?? thread.createdAt * 1000)}{' '}
          <span className="muted">· updated {dateTime(x?.updatedAtMs ?? thread.updatedAt * 1000)}</span>
        </dd>
        <dt>Git</dt>
        <dd data-testid="header-git">
          {git ? (
            <span className="git-summary">
              {git.branch ? <span data-testid="header-git-branch">⎇ {git.branch}</span> : null}
              {git.sha ? (
                <code title={git.sha} data-testid="header-git-sha">
                  {git.sha.slice(0, 10)}
                </code>
              ) : null}
              {git.originUrl ? <span data-testid="header-git-origin">{git.originUrl}</span> : null}
            </span>
          ) : (
            <span className="muted">none</span>
          )}{' '}
          {!editingGit ? (
            <button type="button" className="link" onClick={() => setEditingGit(true)} data-testid="git-edit">
              Edit
            </button>
          ) : null}
          {gitError ? (
            <div className="field-error" role="alert" data-testid="git-error">
              {gitError}
            </div>
          ) : null}
        </dd>
        {editingGit ? (
          <dd className="span">
            <GitEditor thread={thread} patch={patch} onClose={() => setEditingGit(false)} onError={setGitError} />
          </dd>
        ) : null}
        {parentId || thread.forkedFromId || (children && children.length > 0) || thread.agentNickname || x?.agentPath ? (
          <>
            <dt>Agents</dt>
            <dd className="agent-row" data-testid="header-agents">
              {thread.agentNickname || x?.agentPath ? (
                <span>
                  {[thread.agentNickname, thread.agentRole ? `(${thread.agentRole})` : null].filter(Boolean).join(' ')}{' '}
                  {x?.agentPath ? <code>{x.agentPath}</code> : null}
                </span>
              ) : null}
              {parentId ? (
                <span>
                  parent <ThreadButton id={parentId} />
                </span>
              ) : null}
              {thread.forkedFromId ? (
                <span>
                  forked from <ThreadButton id={thread.forkedFromId} />
                </span>
              ) : null}
              {children && children.length > 0 ? (
                <span data-testid="header-children">
                  {children.length === 1 ? 'sub-agent' : `${children.length} sub-agents`}:{' '}
                  {children.map((c, i) => (
                    <span key={c.id}>
                      {i > 0 ? ', ' : ''}
                      <ThreadButton id={c.id} label={c.label} />
                    </span>
                  ))}
                </span>
              ) : null}
            </dd>
          </>
        ) : null}
        <dt>Rollout</dt>
        <dd className="rollout">
          <code data-testid="header-path" title={thread.path ?? ''}>
            {thread.path ?? '—'}
          </code>{' '}
          {thread.path && canReveal ? (
            <button type="button" className="link" onClick={() => void revealRollout(thread.id)} data-testid="reveal">
              Reveal in file manager
            </button>
          ) : null}
          {thread.path ? <Copy text={thread.path} label="Copy path" testId="copy-path" /> : null}
        </dd>
        <dt>Thread id</dt>
        <dd>
          <code data-testid="header-id">{thread.id}</code> <Copy text={thread.id} label="Copy" />
        </dd>
      </dl>
    </header>
  );
}
