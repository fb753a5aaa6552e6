// The agent graph's methods: the tree of a thread's family, agent path lookup, orphans, and the
// cascading close and reopen.
import type { EngineContext, HandlersOf } from '../context.ts';
import { GraphOperations } from './cascade.ts';
import { listOrphans } from './orphans.ts';
import { resolveAgentPath } from './paths.ts';
import { buildTree } from './tree.ts';

export function graphHandlers(
  ctx: EngineContext,
): HandlersOf<'spool/thread/tree' | 'spool/agent/resolve' | 'spool/agent/orphans' | 'thread/close' | 'spool/thread/reopen'> {
  const ops = new GraphOperations(ctx);
  return {
    'spool/thread/tree': (p) => buildTree(ctx.db, p.threadId),
    'spool/agent/resolve': (p) => resolveAgentPath(ctx.db, p),
    'spool/agent/orphans': (p) => listOrphans(ctx.db, p?.limit),
    'thread/close': (p) => ops.close(p),
    'spool/thread/reopen': (p) => ops.reopen(p),
  };
}
