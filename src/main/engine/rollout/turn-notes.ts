// What the turn tracker notes from messages besides turns: the thread's preview and first user
// message (the first user message with something to show), each turn's user and agent previews, and
// the text indexed for search.
import { clip, userMessagePreview } from './text.ts';
import { isObj, str, type Json } from './json-value.ts';
import type { TurnBook } from './turn-book.ts';

/** Codex keeps the whole first message as the preview (observed: 6,623 characters); this only bounds a pathological one. */
const PREVIEW_MAX = 1024 * 1024;
const TURN_PREVIEW_MAX = 400;
/** Text indexed for search per message; longer messages are indexed by their head. */
const FTS_TEXT_MAX = 64 * 1024;

/** A user message's preview; the first one with something to show becomes the thread's. */
export function notePreview(book: TurnBook, text: string, images: number): string | null {
  const m = book.parser.meta;
  const preview = userMessagePreview(text, images);
  if (preview !== null && m.preview === '') {
    m.preview = clip(preview, PREVIEW_MAX);
    m.firstUserMessage = m.preview;
  }
  return preview;
}

/** A `user_message` event that is no turn item but may still be the thread's first message. */
export function notePreviewOnly(book: TurnBook, p: Json): void {
  notePreview(book, str(p['message']) ?? '', eventImageCount(p));
}

/** A user message of the open turn: previews, and its text for search. */
export function noteUser(book: TurnBook, text: string, images: number): void {
  const preview = notePreview(book, text, images);
  const open = book.st.open;
  if (open && open.up === null && preview !== null) open.up = clip(preview, TURN_PREVIEW_MAX);
  if (text.trim() !== '') book.out.fts.push({ turnSeq: open?.seq ?? null, role: 'user', text: clip(text, FTS_TEXT_MAX) });
}

/** An agent message of the open turn: the turn's agent preview (the latest wins), and its text for search. */
export function noteAgent(book: TurnBook, text: string): void {
  const open = book.st.open;
  if (open) open.ap = clip(text.trim(), TURN_PREVIEW_MAX);
  book.out.fts.push({ turnSeq: open?.seq ?? null, role: 'agent', text: clip(text, FTS_TEXT_MAX) });
}

/** Images a `user_message` event carries (remote and local). */
export function eventImageCount(p: Json): number {
  return (Array.isArray(p['images']) ? p['images'].length : 0) + (Array.isArray(p['local_images']) ? p['local_images'].length : 0);
}

/** The text and image count of a paginated UserMessage item. */
export function userItemText(item: Json): { text: string; images: number } {
  const content = item['content'];
  if (!Array.isArray(content)) return { text: '', images: 0 };
  const texts: string[] = [];
  let images = 0;
  for (const c of content) {
    if (!isObj(c)) continue;
    const t = String(c['type'] ?? '').toLowerCase();
    if (t === 'text' && typeof c['text'] === 'string') texts.push(c['text']);
    else if (t === 'image' || t === 'localimage' || t === 'local_image') images += 1;
  }
  return { text: texts.join('\n'), images };
}

/** The text of a paginated AgentMessage item. */
export function agentItemText(item: Json): string {
  if (typeof item['text'] === 'string') return item['text'];
  const content = item['content'];
  if (!Array.isArray(content)) return '';
  return content.map((c) => (isObj(c) && typeof c['text'] === 'string' ? c['text'] : '')).join('');
}
