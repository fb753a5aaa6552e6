// Mounts the agent tree beside the thread list when the selected thread belongs to a family (it
// has sub-agents or a parent); a thread on its own gets no tree column.
import { useAgentTree } from './useAgentTree.ts';
import { TreePanel } from './TreePanel.tsx';

interface Props {
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function TreePane({ selectedId, onSelect }: Props): React.JSX.Element | null {
  const { tree, error } = useAgentTree(selectedId);
  if (selectedId === null) return null;
  if (error !== null && tree === null) {
    return (
      <section className="tree-pane" aria-label="Agent tree">
        <div className="tree-error" role="alert">
          Could not load the agent tree: {error}
        </div>
      </section>
    );
  }
  if (!tree || !tree.nodes.some((n) => n.id === selectedId)) return null;
  if (tree.nodes.length === 1 && !tree.nodes[0]!.orphan) return null;
  return <TreePanel tree={tree} selectedId={selectedId} onSelect={onSelect} />;
}
