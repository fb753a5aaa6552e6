// Links in inline text: bare URLs and autolinks, a link's `(destination "title")` tail, and the
// one check a target passes before the view lets it open (`safeHref`).
import type { Pairs } from './pairs.ts';

export const BARE_URL_RE = /(?:https?:\/\/|www\.)[^\s<>`"]+/y;
export const AUTOLINK_RE =
  /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*|[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;

/** Trailing punctuation that ends a bare URL rather than belonging to it (GFM's rule, simplified). */
export function trimUrl(url: string): string {
  let u = url;
  for (;;) {
    const last = u[u.length - 1];
    if (last && '?!.,:*_~\'"'.includes(last)) u = u.slice(0, -1);
    else if (last === ')' && (u.match(/\(/g)?.length ?? 0) < (u.match(/\)/g)?.length ?? 0)) u = u.slice(0, -1);
    else break;
  }
  return u;
}

/** Link destinations and titles longer than this are not links (bounds the work per `](`). */
const MAX_LINK_TAIL = 16 * 1024;

/** `(dest "title")` at `at`: the destination, the title and where it ends, or null. */
export function linkTail(s: string, at: number, pairs: Pairs): { href: string; title: string | null; end: number } | null {
  if (s[at] !== '(') return null;
  const limit = Math.min(s.length, at + MAX_LINK_TAIL);
  let i = at + 1;
  while (i < limit && /[ \t\n]/.test(s[i]!)) i++;
  let href: string;
  if (s[i] === '<') {
    const close = pairs.indexOf('>', i);
    if (close < 0 || close >= limit) return null;
    href = s.slice(i + 1, close);
    i = close + 1;
  } else {
    // Up to whitespace or an unbalanced `)`; balanced parentheses are skipped whole.
    const startAt = i;
    while (i < limit) {
      i = pairs.nextStop(i);
      if (i >= limit) return null;
      const ch = s[i]!;
      if (ch === '\\') i += 2;
      else if (ch === '(') {
        const close = pairs.parenEnd(i);
        if (close < 0) return null;
        i = close + 1;
      } else break;
    }
    href = s.slice(startAt, i);
  }
  while (i < limit && /[ \t\n]/.test(s[i]!)) i++;
  let title: string | null = null;
  const q = s[i];
  if (q === '"' || q === "'" || q === '(') {
    const close = pairs.indexOf(q === '(' ? ')' : q, i + 1);
    if (close < 0 || close >= limit) return null;
    title = s.slice(i + 1, close);
    i = close + 1;
    while (i < limit && /[ \t\n]/.test(s[i]!)) i++;
  }
  if (s[i] !== ')') return null;
  return { href: unescapeText(href), title: title === null ? null : unescapeText(title), end: i + 1 };
}

export function unescapeText(s: string): string {
  return s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const SAFE_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * The URL a link may open, or null: only absolute http(s) and mailto targets (never javascript:,
 * data:, file: or app-relative ones, which would navigate or run inside the app).
 */
export function safeHref(href: string): string | null {
  const h = href.trim();
  if (!/^(?:https?:\/\/|mailto:)/i.test(h)) return null;
  try {
    const u = new URL(h);
    return SAFE_SCHEMES.has(u.protocol) ? u.toString() : null;
  } catch {
    return null;
  }
}
