// spool/index/* methods.
import type { EngineContext, HandlersOf } from '../context.ts';

export function indexHandlers(ctx: EngineContext): HandlersOf<'spool/index/status' | 'spool/index/report'> {
  return {
    'spool/index/status': () => ({ ...ctx.indexer.progress }),
    'spool/index/report': (p) => {
      const report = ctx.indexer.report(p?.limit ?? 200);
      if (ctx.overlay.badLines > 0) report.counts['journalBadLines'] = ctx.overlay.badLines;
      return { ...report, dataDir: ctx.dataDir };
    },
  };
}
