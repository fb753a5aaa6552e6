// What every part of an open thread's view needs without passing it down by hand.
import { createContext, useContext } from 'react';

export interface ThreadViewContext {
  threadId: string;
  /** Opens a link outside the app (the host vets it again). */
  openLink: (url: string) => void;
  /** Selects another thread in the app (parent, children, sub-agents named by tool calls). */
  openThread: ((threadId: string) => void) | null;
}

export const ThreadCtx = createContext<ThreadViewContext>({ threadId: '', openLink: () => undefined, openThread: null });
export const useThreadCtx = (): ThreadViewContext => useContext(ThreadCtx);
