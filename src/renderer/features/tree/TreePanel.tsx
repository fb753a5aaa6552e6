// The agent tree of the selected thread's family, beside the thread list: a virtualised ARIA tree
// (expand / collapse, keyboard as the WAI-ARIA tree pattern), badges and descendant counts per
// node, and the actions on the focused node with confirmation, progress and outcome.
import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { TreeNode, TreeResult } from '../../../shared/protocol/index.ts';
import { formatBytes } from '../../../shared/format-bytes.ts';
import { ancestors, indexTree, nodeLabel, visibleRows, type VisibleRow } from './model.ts';
import { ACTION_LABELS, planAction, runPlan, unavailable, type ActionKind, type OperationState, type Plan } from './operations.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { OperationPanel } from './OperationPanel.tsx';
import './tree.css';

const ROW_HEIGHT = 46;
/** Beyond this depth rows stop indenting (a damaged or absurdly deep chain stays readable). */
const MAX_INDENT_DEPTH = 16;
const INDENT_PX = 14;
const ACTIONS: ActionKind[] = ['close', 'reopen', 'archive', 'unarchive', 'cleanup'];

interface Props {
  tree: TreeResult;
  selectedId: string;
  onSelect: (id: string) => void;
}

const domId = (id: string): string => `tree-node-${id}`;

export function TreePanel({ tree, selectedId, onSelect }: Props): React.JSX.Element {
  const idx = useMemo(() => indexTree(tree), [tree]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [expandedFor, setExpandedFor] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string>(selectedId);
  const [plan, setPlan] = useState<Plan | null>(null);
  const [planError, setPlanError] = useState<string | null>(null);
  const [op, setOp] = useState<OperationState | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);

  // A new family opens at its root and along the way to the selected thread; selecting another
  // thread of the same family opens the way to it (and leaves the rest as the user left it).
  const [lastSelected, setLastSelected] = useState(selectedId);
  if (expandedFor !== tree.rootId) {
    setExpandedFor(tree.rootId);
    setExpanded(new Set([tree.rootId, ...ancestors(idx, selectedId).map((n) => n.id)]));
    setFocusId(selectedId);
    setLastSelected(selectedId);
  } else if (lastSelected !== selectedId) {
    setLastSelected(selectedId);
    setFocusId(selectedId);
    setExpanded((prev) => new Set([...prev, ...ancestors(idx, selectedId).map((n) => n.id)]));
  }

  const rows = useMemo(() => visibleRows(idx, expanded), [idx, expanded]);
  const rowIndex = useMemo(() => new Map(rows.map((r, i) => [r.node.id, i])), [rows]);
  // The focused node, or its nearest ancestor still shown when a collapse hid it.
  let focusNode: TreeNode = idx.byId.get(focusId) ?? idx.byId.get(selectedId) ?? tree.nodes[0]!;
  while (!rowIndex.has(focusNode.id) && focusNode.parentId !== null) focusNode = idx.byId.get(focusNode.parentId) ?? tree.nodes[0]!;
  const focusRow = rowIndex.get(focusNode.id) ?? 0;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => treeRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    getItemKey: (i) => rows[i]?.node.id ?? i,
  });

  useEffect(() => {
    virtualizer.scrollToIndex(focusRow, { align: 'auto' });
  }, [focusRow, virtualizer]);

  const toggle = (id: string, open?: boolean): void => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });
  };

  const onKeyDown = (e: React.KeyboardEvent): void => {
    const row = rows[focusRow];
    if (!row) return;
    const go = (i: number): void => {
      const r = rows[Math.max(0, Math.min(rows.length - 1, i))];
      if (r) setFocusId(r.node.id);
    };
    const page = Math.max(1, Math.floor((treeRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    switch (e.key) {
      case 'ArrowDown':
        go(focusRow + 1);
        break;
      case 'ArrowUp':
        go(focusRow - 1);
        break;
      case 'PageDown':
        go(focusRow + page);
        break;
      case 'PageUp':
        go(focusRow - page);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(rows.length - 1);
        break;
      case 'ArrowRight':
        if (row.hasChildren && !row.expanded) toggle(row.node.id, true);
        else if (row.expanded) go(focusRow + 1);
        break;
      case 'ArrowLeft':
        if (row.expanded) toggle(row.node.id, false);
        else if (row.node.parentId !== null) setFocusId(row.node.parentId);
        break;
      case '*': {
        // Expands every sibling of the focused node (WAI-ARIA tree pattern).
        const sibs = rows.filter((r) => r.node.parentId === row.node.parentId && r.hasChildren).map((r) => r.node.id);
        setExpanded((prev) => new Set([...prev, ...sibs]));
        break;
      }
      case 'Enter':
      case ' ':
        onSelect(row.node.id);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  const start = (kind: ActionKind): void => {
    setPlanError(null);
    planAction(kind, idx, focusNode)
      .then(setPlan)
      .catch((e: unknown) => setPlanError(e instanceof Error ? e.message : String(e)));
  };

  const confirm = (): void => {
    if (!plan) return;
    const p = plan;
    setPlan(null);
    void runPlan(p, idx, setOp);
  };

  const root = tree.nodes[0]!;
  const busy = op !== null && !op.finished;
  const items = virtualizer.getVirtualItems();

  return (
    <section className="tree-pane" aria-label="Agent tree" data-testid="tree-panel">
      <header className="tree-head">
        <h2>Agent tree</h2>
        <span className="tree-summary" data-testid="tree-summary">
          {(root.descendants.total + 1).toLocaleString()} threads · {root.descendants.open.toLocaleString()} open ·{' '}
          {root.descendants.closed.toLocaleString()} closed · {(root.descendants.archived + (root.archived ? 1 : 0)).toLocaleString()}{' '}
          archived · {formatBytes(root.descendants.bytes + root.sizeBytes)}
        </span>
      </header>
      <div className="tree-actions" role="group" aria-label={`Actions on ${nodeLabel(focusNode)}`}>
        <span className="tree-target" title={focusNode.agentPath ?? focusNode.id}>
          {nodeLabel(focusNode)}
        </span>
        {ACTIONS.map((kind) => {
          const why = busy ? 'An action is running' : unavailable(kind, focusNode);
          return (
            <button
              key={kind}
              type="button"
              className="tree-action"
              disabled={why !== null}
              title={why ?? undefined}
              onClick={() => start(kind)}
              data-action={kind}
            >
              {ACTION_LABELS[kind]}
            </button>
          );
        })}
      </div>
      {planError !== null ? (
        <div className="tree-error" role="alert">
          {planError}
        </div>
      ) : null}
      <div
        ref={treeRef}
        className="tree"
        role="tree"
        aria-label={`Sub-agents of ${nodeLabel(root)}`}
        aria-activedescendant={domId(focusNode.id)}
        tabIndex={0}
        onKeyDown={onKeyDown}
        data-testid="agent-tree"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} role="none">
          {items.map((vi) => {
            const r = rows[vi.index]!;
            return (
              <TreeRow
                key={vi.key}
                row={r}
                top={vi.start}
                focused={r.node.id === focusNode.id}
                selected={r.node.id === selectedId}
                onToggle={() => toggle(r.node.id)}
                onClick={() => {
                  setFocusId(r.node.id);
                  onSelect(r.node.id);
                }}
              />
            );
          })}
        </div>
      </div>
      {op !== null ? <OperationPanel op={op} onDismiss={() => setOp(null)} /> : null}
      {plan !== null ? <ConfirmDialog plan={plan} onConfirm={confirm} onCancel={() => setPlan(null)} /> : null}
    </section>
  );
}

interface RowProps {
  row: VisibleRow;
  top: number;
  focused: boolean;
  selected: boolean;
  onToggle: () => void;
  onClick: () => void;
}

function TreeRow({ row, top, focused, selected, onToggle, onClick }: RowProps): React.JSX.Element {
  const n = row.node;
  const depth = Math.min(n.depth, MAX_INDENT_DEPTH);
  const d = n.descendants;
  const title = n.agentNickname ?? nodeLabel(n);
  return (
    <div
      id={domId(n.id)}
      role="treeitem"
      aria-level={row.level}
      aria-setsize={row.setSize}
      aria-posinset={row.posInSet}
      aria-expanded={row.hasChildren ? row.expanded : undefined}
      aria-selected={selected}
      data-node-id={n.id}
      className={`tree-row${focused ? ' focused' : ''}${selected ? ' selected' : ''}${n.archived ? ' is-archived' : ''}`}
      style={{
        position: 'absolute',
        top: 0,
        left: 0,
        right: 0,
        height: ROW_HEIGHT,
        transform: `translateY(${top}px)`,
        paddingLeft: 6 + depth * INDENT_PX,
      }}
      onClick={onClick}
    >
      {row.hasChildren ? (
        <span
          className="twisty"
          data-testid="twisty"
          aria-hidden="true"
          onClick={(e) => {
            e.stopPropagation();
            onToggle();
          }}
        >
          {row.expanded ? '▾' : '▸'}
        </span>
      ) : (
        <span className="twisty leaf" aria-hidden="true" />
      )}
      <div className="tree-main">
        <div className="tree-line">
          <span className="tree-name" data-testid="node-name">
            {title}
          </span>
          {n.parentId === null ? <span className="badge">root</span> : null}
          {n.agentRole ? <span className="badge role">{n.agentRole}</span> : null}
          {n.depth > MAX_INDENT_DEPTH ? <span className="badge">depth {n.depth}</span> : null}
          <span className="tree-path" title={n.agentPath ?? undefined}>
            {n.agentPath ?? (n.parentId === null ? '/root' : '')}
          </span>
        </div>
        <div className="tree-line tree-meta">
          {n.edgeStatus !== null ? (
            <span
              className={`badge edge-${n.edgeStatus}`}
              data-testid="edge-status"
              title={n.closedBy ? `closed by ${n.closedBy}` : 'spawn edge open'}
            >
              {n.edgeStatus}
              {n.closedBy === 'codex' ? ' · codex' : ''}
            </span>
          ) : null}
          {n.archived ? (
            <span className="badge archived" data-testid="archived-badge">
              archived
            </span>
          ) : null}
          {n.lastTurnStatus === 'failed' || n.lastTurnStatus === 'interrupted' ? (
            <span className={`badge turn-${n.lastTurnStatus}`}>{n.lastTurnStatus}</span>
          ) : null}
          {n.orphan ? (
            <span className="badge warn" title={`parent ${n.declaredParentId ?? ''} is not in this home`}>
              parent missing
            </span>
          ) : null}
          {n.cycle ? (
            <span className="badge warn" title={`its rollout names ${n.declaredParentId ?? ''} as parent, a descendant`}>
              cycle
            </span>
          ) : null}
          {d.total > 0 ? (
            <span
              className="tree-counts"
              data-testid="counts"
              aria-label={`${d.total} descendants: ${d.open} open, ${d.closed} closed, ${d.archived} archived`}
            >
              {d.open} open · {d.closed} closed · {d.archived} archived
            </span>
          ) : null}
          <span className="tree-size">{formatBytes(n.sizeBytes + d.bytes)}</span>
        </div>
      </div>
    </div>
  );
}
