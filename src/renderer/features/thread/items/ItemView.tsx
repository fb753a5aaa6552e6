// One item of a turn, rendered for its type: messages as Markdown, reasoning collapsible, commands
// with their cwd, exit code and output, file changes as diffs, tool calls with arguments and
// results, markers for compaction and review, placeholders for images. Unknown types show their
// JSON, so nothing codex writes is hidden.
import { memo, useMemo, useState } from 'react';
import type { ItemTruncation, ThreadItem } from '../../../../shared/protocol/index.ts';
import { Markdown } from '../../../lib/markdown/Markdown.tsx';
import { highlight } from '../../../lib/highlight.ts';
import { Tokens } from '../../../lib/markdown/CodeBlock.tsx';
import { truncationsOf } from '../export/collect.ts';
import { useThreadCtx } from '../context.ts';
import { arr, durationText, num, obj, str } from '../format.ts';
import { OutputText } from './Output.tsx';
import { useThreadLabel } from '../useThreadLabel.ts';
import { DiffView } from './DiffView.tsx';

const cutAt = (item: ThreadItem, path: string): ItemTruncation | undefined => truncationsOf(item).find((t) => t.path === path);

export const ItemView = memo(function ItemView({ item }: { item: ThreadItem }): React.JSX.Element {
  switch (item.type) {
    case 'userMessage':
      return <UserMessage item={item} />;
    case 'agentMessage':
      return <AgentMessage item={item} />;
    case 'reasoning':
      return <Reasoning item={item} />;
    case 'plan':
      return <Plan item={item} />;
    case 'commandExecution':
      return <Command item={item} />;
    case 'fileChange':
      return <FileChange item={item} />;
    case 'mcpToolCall':
    case 'dynamicToolCall':
    case 'functionCallOutput':
      return <ToolCall item={item} />;
    case 'collabAgentToolCall':
      return <AgentCall item={item} />;
    case 'subAgentActivity':
      return <SubAgentActivity item={item} />;
    case 'webSearch':
      return <WebSearch item={item} />;
    case 'contextCompaction':
      return <Marker testId="compaction">Context compacted — earlier turns were summarised for the model</Marker>;
    case 'enteredReviewMode':
      return <Marker testId="review">Review started{str(item['review']) ? `: ${str(item['review'])}` : ''}</Marker>;
    case 'exitedReviewMode':
      return <Review item={item} />;
    case 'imageView':
      return <ImagePlaceholder label="Viewed an image" detail={str(item['path'])} />;
    case 'imageGeneration':
      return <ImagePlaceholder label="Generated an image" detail={str(item['revisedPrompt']) ?? str(item['savedPath'])} />;
    case 'sleep':
      return <Marker testId="sleep">Waited {durationText(num(item['durationMs']))}</Marker>;
    case 'hookPrompt':
      return <HookPrompt item={item} />;
    default:
      return <Unknown item={item} />;
  }
});

function Frame({
  kind,
  title,
  aside,
  children,
  testId,
}: {
  kind: string;
  title: React.ReactNode;
  aside?: React.ReactNode;
  children?: React.ReactNode;
  testId?: string;
}): React.JSX.Element {
  return (
    <section className={`item item-${kind}`} data-testid={testId ?? `item-${kind}`}>
      <header className="item-head">
        <span className="item-title">{title}</span>
        {aside ? <span className="item-aside">{aside}</span> : null}
      </header>
      {children}
    </section>
  );
}

function UserMessage({ item }: { item: ThreadItem }): React.JSX.Element {
  const { openLink } = useThreadCtx();
  const content = arr(item['content'])
    .map(obj)
    .filter((c) => c !== null);
  return (
    <section className="item item-user" data-testid="item-userMessage">
      {content.map((c, i) => {
        const type = str(c['type']);
        if (type === 'text') {
          const text = str(c['text']) ?? '';
          const cut = cutAt(item, `/content/${i}/text`);
          return cut ? (
            <OutputText key={i} text={text} truncation={cut} saveName="message.txt" />
          ) : (
            <Markdown key={i} text={text} breaks onLink={openLink} />
          );
        }
        if (type === 'image')
          return <ImagePlaceholder key={i} label="Image" detail={str(c['url'])?.startsWith('data:') ? 'attached' : str(c['url'])} />;
        if (type === 'localImage') return <ImagePlaceholder key={i} label="Image" detail={str(c['path'])} />;
        return (
          <span key={i} className="chip">
            {type}: {str(c['name']) ?? str(c['path']) ?? ''}
          </span>
        );
      })}
    </section>
  );
}

function AgentMessage({ item }: { item: ThreadItem }): React.JSX.Element {
  const { openLink } = useThreadCtx();
  const text = str(item['text']) ?? '';
  const cut = cutAt(item, '/text');
  const phase = str(item['phase']);
  return (
    <section className={`item item-agent${phase === 'commentary' ? ' commentary' : ''}`} data-testid="item-agentMessage">
      {cut ? <OutputText text={text} truncation={cut} saveName="message.md" /> : <Markdown text={text} onLink={openLink} />}
    </section>
  );
}

function Reasoning({ item }: { item: ThreadItem }): React.JSX.Element {
  const { openLink } = useThreadCtx();
  const summary = arr(item['summary']).map(String);
  const content = arr(item['content']).map(String);
  const first = (summary[0] ?? content[0] ?? '').trim();
  // Codex's summaries start with a bold title: show it while collapsed.
  const title = /^\*\*(.+?)\*\*/.exec(first)?.[1] ?? (first.split('\n')[0]!.slice(0, 120) || 'Reasoning');
  return (
    <details className="item item-reasoning" data-testid="item-reasoning">
      <summary>
        <span className="item-kind">Thinking</span> <span className="reasoning-title">{title}</span>
      </summary>
      <div className="reasoning-body">
        {summary.map((s, i) => (
          <Markdown key={`s${i}`} text={s} onLink={openLink} />
        ))}
        {content.length > 0 ? (
          <div className="reasoning-raw">
            {content.map((s, i) => (
              <Markdown key={`c${i}`} text={s} onLink={openLink} />
            ))}
          </div>
        ) : null}
      </div>
    </details>
  );
}

function Plan({ item }: { item: ThreadItem }): React.JSX.Element {
  const { openLink } = useThreadCtx();
  return (
    <Frame kind="plan" title="Plan">
      <Markdown text={str(item['text']) ?? ''} onLink={openLink} />
    </Frame>
  );
}

function ShellLine({ command }: { command: string }): React.JSX.Element {
  const tokens = useMemo(() => (command.length > 4000 ? null : highlight(command, 'sh')), [command]);
  return <code className="command-line">{tokens ? <Tokens tokens={tokens} /> : command}</code>;
}

function StatusDot({ status, exitCode }: { status: string | null; exitCode: number | null }): React.JSX.Element {
  if (status === 'inProgress') return <span className="status-dot running" title="running" />;
  const ok = exitCode === null ? status === 'completed' : exitCode === 0;
  return (
    <span
      className={`exit ${ok ? 'ok' : 'fail'}`}
      data-testid="exit-code"
      title={exitCode === null ? (status ?? '') : `exit code ${exitCode}`}
    >
      {exitCode === null ? (status ?? '') : `exit ${exitCode}`}
    </span>
  );
}

function Command({ item }: { item: ThreadItem }): React.JSX.Element {
  const command = str(item['command']) ?? '';
  const cwd = str(item['cwd']);
  const output = str(item['aggregatedOutput']);
  const exitCode = num(item['exitCode']);
  const status = str(item['status']);
  const duration = num(item['durationMs']);
  return (
    <section className="item item-command" data-testid="item-commandExecution">
      <header className="command-head">
        <span className="prompt">$</span>
        <ShellLine command={command} />
      </header>
      <div className="command-meta">
        <StatusDot status={status} exitCode={exitCode} />
        {duration !== null ? <span>{durationText(duration)}</span> : null}
        {cwd ? (
          <span className="cwd" title={cwd} data-testid="command-cwd">
            {cwd}
          </span>
        ) : null}
      </div>
      {output ? <OutputText text={output} truncation={cutAt(item, '/aggregatedOutput')} saveName="output.txt" /> : null}
    </section>
  );
}

function FileChange({ item }: { item: ThreadItem }): React.JSX.Element {
  const changes = arr(item['changes'])
    .map(obj)
    .filter((c) => c !== null);
  const status = str(item['status']);
  return (
    <Frame
      kind="fileChange"
      title={`Edited ${changes.length} ${changes.length === 1 ? 'file' : 'files'}`}
      aside={status && status !== 'completed' ? <span className="badge warn">{status}</span> : null}
    >
      {changes.map((c, i) => {
        const kind = obj(c['kind']);
        return (
          <DiffView
            key={i}
            path={str(c['path']) ?? ''}
            kind={str(kind?.['type']) ?? 'update'}
            movePath={str(kind?.['move_path'])}
            diff={str(c['diff']) ?? ''}
          />
        );
      })}
    </Frame>
  );
}

/** JSON of arguments or results, collapsed to its first lines. */
function JsonBlock({ value, label }: { value: unknown; label: string }): React.JSX.Element | null {
  const text = useMemo(() => (typeof value === 'string' ? value : JSON.stringify(value, null, 2)), [value]);
  if (value === null || value === undefined || text === '{}' || text === '') return null;
  return (
    <div className="tool-part">
      <div className="tool-part-label">{label}</div>
      <OutputText text={text} saveName={`${label.toLowerCase()}.json`} className="json" />
    </div>
  );
}

function resultContent(v: unknown): React.ReactNode {
  const r = obj(v);
  const items = r ? arr(r['content']) : Array.isArray(v) ? v : null;
  if (!items) return <JsonBlock value={v} label="Result" />;
  return items.map((c, i) => {
    const o = obj(c);
    const type = str(o?.['type']);
    if (type === 'text' || type === 'inputText' || type === 'input_text' || type === 'outputText')
      return <OutputText key={i} text={str(o?.['text']) ?? ''} saveName="result.txt" />;
    if (type === 'image' || type === 'inputImage' || type === 'input_image')
      return <ImagePlaceholder key={i} label="Image" detail={str(o?.['mimeType']) ?? null} />;
    return <JsonBlock key={i} value={c} label="Result" />;
  });
}

function ToolCall({ item }: { item: ThreadItem }): React.JSX.Element {
  const name =
    item.type === 'mcpToolCall'
      ? `${str(item['server']) ?? ''} · ${str(item['tool']) ?? ''}`
      : item.type === 'dynamicToolCall'
        ? `${str(item['namespace']) ? `${str(item['namespace'])} · ` : ''}${str(item['tool']) ?? ''}`
        : (str(item['name']) ?? 'function output');
  const status = str(item['status']);
  const error = obj(item['error']);
  const duration = num(item['durationMs']);
  const failed = status === 'failed' || item['success'] === false || error !== null;
  return (
    <details className="item item-tool" data-testid={`item-${item.type}`} open={failed}>
      <summary>
        <span className="item-kind">Tool</span> <code>{name}</code>
        {status ? <span className={`badge ${failed ? 'fail' : ''}`}>{status}</span> : null}
        {duration !== null ? <span className="muted">{durationText(duration)}</span> : null}
      </summary>
      <div className="tool-body">
        <JsonBlock value={item['arguments']} label="Arguments" />
        {error ? <div className="item-error">{str(error['message']) ?? JSON.stringify(error)}</div> : null}
        {item.type === 'mcpToolCall' && item['result'] != null ? <div className="tool-part">{resultContent(item['result'])}</div> : null}
        {item.type === 'dynamicToolCall' && item['contentItems'] != null ? (
          <div className="tool-part">{resultContent(item['contentItems'])}</div>
        ) : null}
        {item.type === 'functionCallOutput' ? <JsonBlock value={item['output']} label="Output" /> : null}
      </div>
    </details>
  );
}

function ThreadLink({ id, label }: { id: string; label?: string | undefined }): React.JSX.Element {
  const { openThread } = useThreadCtx();
  const known = useThreadLabel(id);
  const text = label ?? known ?? `…${id.slice(-8)}`;
  if (!openThread || !id) return <code title={id}>{text}</code>;
  return (
    <button type="button" className="link thread-link" onClick={() => openThread(id)} title={id} data-thread-link={id}>
      {text}
    </button>
  );
}

function AgentCall({ item }: { item: ThreadItem }): React.JSX.Element {
  const { openLink } = useThreadCtx();
  const receivers = arr(item['receiverThreadIds']).map(String);
  const states = obj(item['agentsStates']) ?? {};
  const prompt = str(item['prompt']);
  return (
    <Frame
      kind="agents"
      testId="item-collabAgentToolCall"
      title={
        <>
          <span className="item-kind">Agents</span> {str(item['tool']) ?? ''}
        </>
      }
      aside={str(item['status'])}
    >
      {prompt ? <Markdown text={prompt} onLink={openLink} className="muted-md" /> : null}
      {receivers.length > 0 ? (
        <div className="agent-links">
          {receivers.map((id) => {
            const st = obj(states[id]);
            return (
              <span key={id} className="chip">
                <ThreadLink id={id} /> {st ? <span className="muted">{str(st['status'])}</span> : null}
              </span>
            );
          })}
        </div>
      ) : null}
    </Frame>
  );
}

function SubAgentActivity({ item }: { item: ThreadItem }): React.JSX.Element {
  const id = str(item['agentThreadId']) ?? '';
  return (
    <Marker testId="sub-agent">
      Sub-agent <code>{str(item['agentPath']) ?? ''}</code> {str(item['kind']) ?? ''} · <ThreadLink id={id} label="open" />
    </Marker>
  );
}

function WebSearch({ item }: { item: ThreadItem }): React.JSX.Element {
  const action = obj(item['action']);
  const url = str(action?.['url']);
  return (
    <Marker testId="web-search">
      Searched the web{str(item['query']) ? <>: “{str(item['query'])}”</> : null}
      {url ? <> · {url}</> : null}
    </Marker>
  );
}

function Review({ item }: { item: ThreadItem }): React.JSX.Element {
  const { openLink } = useThreadCtx();
  return (
    <Frame kind="review" title="Review">
      <Markdown text={str(item['review']) ?? ''} onLink={openLink} />
    </Frame>
  );
}

function HookPrompt({ item }: { item: ThreadItem }): React.JSX.Element {
  const text = arr(item['fragments'])
    .map((f) => str(obj(f)?.['text']) ?? '')
    .join('\n');
  return (
    <Frame kind="hook" title="Hook prompt">
      <OutputText text={text} saveName="hook.txt" />
    </Frame>
  );
}

function Marker({ children, testId }: { children: React.ReactNode; testId: string }): React.JSX.Element {
  return (
    <div className="item-marker" data-testid={`marker-${testId}`}>
      <span>{children}</span>
    </div>
  );
}

function ImagePlaceholder({ label, detail }: { label: string; detail: string | null | undefined }): React.JSX.Element {
  return (
    <div className="image-placeholder" data-testid="image-placeholder" title={detail ?? undefined}>
      <svg viewBox="0 0 20 20" aria-hidden="true">
        <rect x="2" y="3" width="16" height="14" rx="2" fill="none" stroke="currentColor" strokeWidth="1.5" />
        <circle cx="7" cy="8" r="1.6" fill="currentColor" />
        <path d="M3 15l4.5-4.5 3 3 2.5-2.5 4 4" fill="none" stroke="currentColor" strokeWidth="1.5" />
      </svg>
      <span>{label}</span>
      {detail ? <code>{detail.length > 120 ? `${detail.slice(0, 120)}…` : detail}</code> : null}
    </div>
  );
}

function Unknown({ item }: { item: ThreadItem }): React.JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <details
      className="item item-unknown"
      data-testid="item-unknown"
      open={open}
      onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}
    >
      <summary>
        <span className="item-kind">{item.type}</span>
      </summary>
      {open ? <OutputText text={JSON.stringify(item, null, 2)} saveName="item.json" /> : null}
    </details>
  );
}
