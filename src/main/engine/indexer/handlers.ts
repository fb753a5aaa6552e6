// spool/index/* methods. They take only what they read (not the engine's context, which refers to
// the indexer: the indexer sits below it).
import type { HandlersOf } from '../handler-types.ts';
import type { UserOverlay } from '../user/overlay.ts';
import type { Indexer } from './indexer.ts';

export function indexHandlers(
  indexer: Indexer,
  overlay: UserOverlay,
  dataDir: string,
): HandlersOf<'spool/index/status' | 'spool/index/report'> {
  return {
    'spool/index/status': () => ({ ...indexer.progress }),
    'spool/index/report': (p) => {
      const report = indexer.report(p?.limit ?? 200);
      if (overlay.badLines > 0) report.counts['journalBadLines'] = overlay.badLines;
      return { ...report, dataDir };
    },
  };
}
