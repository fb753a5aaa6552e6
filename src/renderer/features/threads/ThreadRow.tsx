// One row of the thread list: title (name or preview), time, source badge, cwd, branch,
// provider/model, archived state and sub-agent count; sub-agents indented under their parent.
import { memo } from 'react';
import type { Thread } from '../../../shared/protocol/index.ts';
import {
  absoluteTime,
  plural,
  providerModel,
  relativeTime,
  shortenPath,
  sourceKindClass,
  sourceLabel,
  threadTitle,
  updatedMs,
} from '../../lib/format.ts';

interface Props {
  thread: Thread;
  depth: number;
  /** The last member shown of a family with more descendants. */
  moreAfter: boolean;
  top: number;
  height: number;
  active: boolean;
  opened: boolean;
  selected: boolean;
  selecting: boolean;
  collapsed: boolean;
  grouping: boolean;
  onClick: (e: React.MouseEvent, id: string) => void;
  onCheck: (id: string) => void;
  onToggle: (id: string) => void;
}

export const ThreadRow = memo(function ThreadRow({
  thread: t,
  depth,
  moreAfter,
  top,
  height,
  active,
  opened,
  selected,
  selecting,
  collapsed,
  grouping,
  onClick,
  onCheck,
  onToggle,
}: Props): React.JSX.Element {
  const x = t.extra?.spool;
  const children = x?.childCount ?? 0;
  const isChild = depth > 0;
  const agent = t.agentNickname ? `${t.agentNickname}${t.agentRole ? ` · ${t.agentRole}` : ''}` : null;
  const cls = [
    'thread-row',
    isChild ? 'child' : '',
    active ? 'active' : '',
    opened ? 'opened' : '',
    selected ? 'selected' : '',
    x?.archived ? 'is-archived' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const when = updatedMs(t);
  const hasChildren = children > 0 && !isChild;
  // Most rows carry no flag: no element for them (every element counts when a scroll mounts rows).
  const flagged = x?.archived === true || hasChildren || moreAfter;
  return (
    <div
      id={`thread-option-${t.id}`}
      role="option"
      aria-selected={selected}
      aria-current={opened ? 'true' : undefined}
      data-thread-id={t.id}
      data-depth={depth}
      className={cls}
      style={{ transform: `translateY(${top}px)`, height, paddingLeft: 12 + depth * 22 }}
      onClick={(e) => onClick(e, t.id)}
    >
      <span
        className={`row-check${selecting || selected ? ' shown' : ''}`}
        role="checkbox"
        aria-checked={selected}
        aria-label="Select thread"
        data-testid="row-check"
        onClick={(e) => {
          e.stopPropagation();
          onCheck(t.id);
        }}
      />
      <div className="row-main">
        {isChild ? <span className="tree-elbow" aria-hidden="true" /> : null}
        <span className={`badge source ${sourceKindClass(t.source)}`}>{sourceLabel(t.source)}</span>
        {agent && isChild ? <span className="row-agent">{agent}</span> : null}
        {isChild && !t.name && !t.preview ? (
          <span className="row-title empty" data-testid="thread-title">
            {t.agentRole ?? 'sub-agent'} · task given by its parent
          </span>
        ) : (
          <span className="row-title" data-testid="thread-title" title={threadTitle(t)}>
            {threadTitle(t)}
          </span>
        )}
        <time className="row-time" dateTime={new Date(when).toISOString()} title={`Updated ${absoluteTime(when)}`}>
          {relativeTime(when)}
        </time>
      </div>
      <div className="row-meta">
        {t.cwd ? (
          <span className="row-cwd" title={t.cwd}>
            {shortenPath(t.cwd)}
          </span>
        ) : null}
        {t.gitInfo?.branch ? (
          <span className="row-branch" title={`Branch ${t.gitInfo.branch}`}>
            {t.gitInfo.branch}
          </span>
        ) : null}
        <span className="row-model" title="Provider · model">
          {providerModel(t)}
        </span>
        {flagged ? (
          <span className="row-flags">
            {x?.archived ? <span className="badge archived">archived</span> : null}
            {hasChildren ? (
              grouping ? (
                <button
                  type="button"
                  className={`badge children toggle${collapsed ? ' collapsed' : ''}`}
                  aria-expanded={!collapsed}
                  data-testid="subagent-count"
                  title={collapsed ? 'Show sub-agents' : 'Hide sub-agents'}
                  onClick={(e) => {
                    e.stopPropagation();
                    onToggle(t.id);
                  }}
                >
                  {plural(children, 'sub-agent')}
                </button>
              ) : (
                <span className="badge children" data-testid="subagent-count">
                  {plural(children, 'sub-agent')}
                </span>
              )
            ) : null}
            {moreAfter ? <span className="badge more">more in the agent tree</span> : null}
          </span>
        ) : null}
      </div>
    </div>
  );
});
