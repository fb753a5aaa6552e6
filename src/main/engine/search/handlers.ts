// spool/search and spool/facets.
import type { EngineContext, EngineHandlers } from '../context.ts';
import { facets } from './facets.ts';
import { Searcher } from './search.ts';

export function searchHandlers(ctx: EngineContext): EngineHandlers {
  const searcher = new Searcher(ctx);
  return {
    'spool/search': (p) => searcher.search(p),
    'spool/facets': (p) => facets(ctx.db, p),
  };
}
