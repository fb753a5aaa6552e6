// spool/search and spool/facets.
import type { EngineContext, HandlersOf } from '../context.ts';
import { facets } from './facets.ts';
import { Searcher } from './search.ts';

export function searchHandlers(ctx: EngineContext): HandlersOf<'spool/search' | 'spool/facets'> {
  const searcher = new Searcher(ctx);
  return {
    'spool/search': (p) => searcher.search(p),
    'spool/facets': (p) => facets(ctx.db, p),
  };
}
