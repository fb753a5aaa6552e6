// A short label for a thread the view links to (a parent, a fork source, a sub-agent a tool call
// names): its agent nickname and role, else its name or first prompt. Codex's ids are UUIDv7s whose
// first digits are a timestamp, so sibling threads' ids look alike; a label tells them apart.
import { useEffect, useState } from 'react';
import { getBridge } from '../../bridge/index.ts';
import type { Thread } from '../../../shared/protocol/index.ts';

const labels = new Map<string, Promise<string>>();

export function labelOf(t: Thread): string {
  const agent = [t.agentNickname, t.agentRole ? `(${t.agentRole})` : null].filter(Boolean).join(' ');
  const text = agent || t.name || t.preview.split('\n')[0]!.trim();
  return text.length > 48 ? `${text.slice(0, 47)}…` : text || `…${t.id.slice(-8)}`;
}

/** The label of `id` once known (null until then, or when the thread is not in the index). */
export function useThreadLabel(id: string): string | null {
  const [label, setLabel] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    let cancelled = false;
    let p = labels.get(id);
    if (!p) {
      p = getBridge()
        .request('thread/read', { threadId: id })
        .then((r) => labelOf(r.thread));
      labels.set(id, p);
      p.catch(() => labels.delete(id));
    }
    p.then((text) => !cancelled && setLabel({ id, text })).catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [id]);
  return label?.id === id ? label.text : null;
}
