// spool/index/* methods.
import type { EngineContext, EngineHandlers } from '../context.ts';

export function indexHandlers(ctx: EngineContext): EngineHandlers {
  return {
    'spool/index/status': () => ({ ...ctx.indexer.progress }),
    'spool/index/report': (p) => {
      const report = ctx.indexer.report(p?.limit ?? 200);
      if (ctx.overlay.badLines > 0) report.counts['journalBadLines'] = ctx.overlay.badLines;
      return { ...report, dataDir: ctx.dataDir };
    },
  };
}
