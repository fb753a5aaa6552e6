// The route (open thread, list filters, search) kept in location.hash: read on load and on
// back/forward, written on every change. Typing in the search box replaces the history entry
// instead of adding one per keystroke.
import { useCallback, useEffect, useState } from 'react';
import { formatHash, parseHash, type Route } from './route.ts';

export interface RouteApi {
  route: Route;
  /** Applies a change; `replace` keeps the history entry (typing, scrolling). */
  navigate: (next: Route | ((r: Route) => Route), opts?: { replace?: boolean }) => void;
}

export function useRoute(): RouteApi {
  const [route, setRoute] = useState<Route>(() => parseHash(location.hash));
  useEffect(() => {
    const onHash = (): void => setRoute(parseHash(location.hash));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const navigate = useCallback<RouteApi['navigate']>((next, opts) => {
    setRoute((prev) => {
      const r = typeof next === 'function' ? next(prev) : next;
      const hash = formatHash(r);
      if (hash !== location.hash && !(hash === '#/' && location.hash === '')) {
        const url = `${location.pathname}${location.search}${hash}`;
        if (opts?.replace) history.replaceState(null, '', url);
        else history.pushState(null, '', url);
      }
      return r;
    });
  }, []);
  return { route, navigate };
}
