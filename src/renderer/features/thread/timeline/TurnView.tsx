// One turn of the timeline: when it started, its status, how long it took and the tokens it used,
// then its items in order and its error, if it failed.
import { memo, useEffect, useState } from 'react';
import type { Turn } from '../../../../shared/protocol/index.ts';
import { ItemView } from '../items/ItemView.tsx';
import { clockTime, compactCount, dayLabel, durationText, formatInt, fullDateTime } from '../format.ts';

const STATUS_LABEL: Record<Turn['status'], string> = {
  completed: 'completed',
  failed: 'failed',
  interrupted: 'interrupted',
  inProgress: 'running',
};

function Elapsed({ since }: { since: number }): React.JSX.Element {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return <span>{durationText(Math.max(0, now - since * 1000))}</span>;
}

interface Props {
  turn: Turn;
  /** A day separator above the turn (the first turn of a day). */
  day: string | null;
  focused: boolean;
}

export const TurnView = memo(function TurnView({ turn, day, focused }: Props): React.JSX.Element {
  const tokens = turn.spool?.tokensUsed ?? null;
  return (
    <article
      className={`turn status-${turn.status}${focused ? ' focused' : ''}`}
      data-testid="turn"
      data-turn-id={turn.id}
      data-status={turn.status}
    >
      {day ? <div className="day-separator">{day}</div> : null}
      <header className="turn-head">
        <span className={`turn-status ${turn.status}`} data-testid="turn-status">
          {turn.status === 'inProgress' ? <span className="status-dot running" /> : null}
          {STATUS_LABEL[turn.status]}
        </span>
        {turn.startedAt !== null ? (
          <time dateTime={new Date(turn.startedAt * 1000).toISOString()} title={fullDateTime(turn.startedAt * 1000)}>
            {clockTime(turn.startedAt)}
          </time>
        ) : null}
        {turn.status === 'inProgress' && turn.startedAt !== null ? (
          <Elapsed since={turn.startedAt} />
        ) : turn.durationMs !== null ? (
          <span title="duration">{durationText(turn.durationMs)}</span>
        ) : null}
        {tokens !== null && tokens > 0 ? (
          <span title={`${formatInt(tokens)} tokens`} data-testid="turn-tokens">
            {compactCount(tokens)} tokens
          </span>
        ) : null}
      </header>
      <div className="turn-items">
        {turn.items.map((item, i) => (
          <ItemView key={`${item.id}:${i}`} item={item} />
        ))}
        {turn.items.length === 0 && turn.itemsView === 'full' ? <div className="muted">No items.</div> : null}
      </div>
      {turn.error ? (
        <div className="turn-error" role="alert" data-testid="turn-error">
          {turn.error.message || 'The turn failed.'}
        </div>
      ) : null}
    </article>
  );
});

/**
 * The day label above `turn` when it is the first of its day. The window's first turn gets one only
 * at the thread's start: a label that vanished when older turns arrive would move the view.
 */
export function daySeparator(turn: Turn, prev: Turn | undefined, atStart: boolean): string | null {
  if (turn.startedAt === null) return null;
  const d = dayLabel(turn.startedAt);
  if (!prev) return atStart ? d : null;
  if (prev.startedAt === null) return null;
  return dayLabel(prev.startedAt) === d ? null : d;
}
