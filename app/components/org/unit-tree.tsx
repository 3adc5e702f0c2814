import { Link } from "@remix-run/react";

export interface UnitTreeItem {
  id: string;
  name: string;
  archivedAt: Date | string | null;
  activeTeams: number;
  activePeople: number;
  totalTeams: number;
  totalPeople: number;
  children: UnitTreeItem[];
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

/** The unit tree as nested lists: each unit with its counts and links to its teams and people. */
export function UnitTree({ nodes, canWrite, label }: { nodes: UnitTreeItem[]; canWrite: boolean; label?: string }) {
  return (
    <ul className="org-tree" aria-label={label}>
      {nodes.map((node) => (
        <UnitTreeNode key={node.id} node={node} canWrite={canWrite} />
      ))}
    </ul>
  );
}

function UnitTreeNode({ node, canWrite }: { node: UnitTreeItem; canWrite: boolean }) {
  const hasChildren = node.children.length > 0;
  const withSubUnits = hasChildren && (node.totalTeams !== node.activeTeams || node.totalPeople !== node.activePeople);
  return (
    <li>
      <div className="org-tree__unit">
        <Link className="org-tree__name" to={`/org/units/${node.id}`}>
          {node.name}
        </Link>
        {node.archivedAt ? <span className="pill">Archived</span> : null}
        <span className="muted org-tree__counts">
          <Link to={`/org/teams?unit=${node.id}`}>{count(node.totalTeams, "team", "teams")}</Link>
          {" · "}
          <Link to={`/org/people?unit=${node.id}`}>{count(node.totalPeople, "person", "people")}</Link>
          {withSubUnits ? ` (${node.activeTeams.toLocaleString("en")} and ${node.activePeople.toLocaleString("en")} directly)` : null}
        </span>
        {canWrite && !node.archivedAt ? (
          <Link className="org-tree__add" to={`/org/units/new?parent=${node.id}`} aria-label={`Add a sub-unit to ${node.name}`}>
            + Sub-unit
          </Link>
        ) : null}
      </div>
      {hasChildren ? (
        <ul>
          {node.children.map((child) => (
            <UnitTreeNode key={child.id} node={child} canWrite={canWrite} />
          ))}
        </ul>
      ) : null}
    </li>
  );
}
