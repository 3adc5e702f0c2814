import { Link } from "@remix-run/react";

/** What HR imports did to a person or a team: "moved from Payments to Data on 2026-12-07 by import #4". */
export function ImportHistory({
  entries,
  subject,
  canOpenImports,
}: {
  entries: Array<{ importId: string; number: number; sentence: string; kind: string }>;
  subject: string;
  canOpenImports: boolean;
}) {
  if (entries.length === 0) return null;
  return (
    <section aria-labelledby="import-history-heading">
      <h2 id="import-history-heading">History from HR imports</h2>
      <ul className="import-history">
        {entries.map((e, i) => (
          <li key={`${e.importId}-${i}`}>
            {subject} {e.sentence} by{" "}
            {canOpenImports ? <Link to={`/org/import/${e.importId}`}>import #{e.number}</Link> : `import #${e.number}`}
          </li>
        ))}
      </ul>
    </section>
  );
}
