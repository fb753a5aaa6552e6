// The turn window of the open thread, kept live: a catch-up through the window's backwards cursor
// whenever the index reports the thread changed (codex appended to its rollout), while the newest
// turn is still running (its status flips when codex lets go of the thread, which writes nothing),
// and after the connection to Spool comes back.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getBridge, onConnectionChange } from '../../../bridge/index.ts';
import { TurnWindow, type TurnWindowState } from './turn-window.ts';

const CATCH_UP_DEBOUNCE_MS = 50;
const RUNNING_POLL_MS = 2000;

export interface TurnWindowHandle {
  window: TurnWindow;
  state: TurnWindowState;
  /** The deep-linked turn, once the window holds it (null: none asked, or not found). */
  focus: string | null;
}

export function useTurnWindow(threadId: string, turnId: string | null): TurnWindowHandle {
  const key = `${threadId}\u0000${turnId ?? ''}`;
  const [current, setCurrent] = useState(() => ({ key, w: create(threadId) }));
  const [focus, setFocus] = useState<{ key: string; turnId: string } | null>(null);
  let w = current.w;
  if (current.key !== key) {
    // Another thread or deep link: a fresh window (adjusting state while rendering, as React advises).
    w = create(threadId);
    setCurrent({ key, w });
  }
  const state = useSyncExternalStore(w.subscribe, w.getState);

  useEffect(() => {
    if (turnId) void w.openAt(turnId).then((found) => found && setFocus({ key, turnId }));
    else void w.open();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const catchUp = (): void => {
      if (timer) return;
      timer = setTimeout(() => {
        timer = null;
        // Off the live end the user pages down to the new turns; nothing to follow meanwhile.
        if (w.getState().atEnd || w.getState().entries.length === 0) void w.loadNewer();
      }, CATCH_UP_DEBOUNCE_MS);
    };
    const off = getBridge().subscribe((n) => {
      if (n.method === 'spool/index/changed' && n.params.threadIds.includes(threadId)) catchUp();
    });
    const offConn = onConnectionChange((up) => up && catchUp());
    return () => {
      off();
      offConn();
      if (timer) clearTimeout(timer);
      w.cancel();
    };
  }, [w, key, threadId, turnId]);

  const last = state.entries[state.entries.length - 1];
  const running = state.atEnd && last?.turn.status === 'inProgress';
  useEffect(() => {
    if (!running) return;
    const id = setInterval(() => void w.loadNewer(), RUNNING_POLL_MS);
    return () => clearInterval(id);
  }, [w, running]);

  return { window: w, state, focus: focus?.key === key ? focus.turnId : null };
}

function create(threadId: string): TurnWindow {
  return new TurnWindow({ threadId, listTurns: (p) => getBridge().request('thread/turns/list', p) });
}
