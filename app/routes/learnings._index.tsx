import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { LEARNING_KINDS } from "../../db/schema";
import { LearningKindBadge, TagList } from "~/components/sessions/coaching-bits";
import { LEARNING_LIST_SPEC, listLearnings, topTags } from "~/models/coaching/learnings.server";
import { requirePermission } from "~/utils/auth.server";
import { formatDateTime } from "~/utils/dates";
import { getDb } from "~/utils/db.server";
import { listSearch, parseListParams } from "~/utils/list-params";
import { can } from "~/utils/permissions";
import { LEARNING_KIND_LABELS } from "~/validation/sessions";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: "/styles/sessions.css" }];

// The community's learnings, across programs: search (title, text, tags), tag chips, kind and
// "mine" filters, newest first, 25 a page. Three queries whatever the library's size.

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "learnings:read");
  const search = new URL(request.url).searchParams;
  const params = parseListParams(search, LEARNING_LIST_SPEC);
  if (!search.has("size")) params.size = 25;
  const db = getDb();
  const [page, tags] = await Promise.all([listLearnings(db, user, params), topTags(db)]);
  return { rows: page.rows, total: page.total, params, tags, canWrite: can(user.role, "learnings:write"), userId: user.id };
}

export default function Learnings() {
  const { rows, total, params, tags, canWrite, userId } = useLoaderData<typeof loader>();
  const f = params.filters;
  const pageCount = Math.max(1, Math.ceil(total / params.size));
  const withTag = (tag: string) => listSearch(params, { page: 1, filters: { tag } });
  const filtered = Boolean(params.q || f.tag || f.kind || f.mine);
  return (
    <>
      <div className="page-header">
        <h1>Learnings</h1>
        {canWrite ? (
          <Link className="button" to="/learnings/new">
            Share a learning
          </Link>
        ) : null}
      </div>
      <p className="lead">Best practices, lessons learned and answers from the Program Lead Office, shared by the coach community.</p>
      <Form method="get" className="filter-bar" role="search" aria-label="Search learnings">
        <label>
          <span className="visually-hidden">Search learnings</span>
          <input type="search" name="q" placeholder="Search title, text, tags…" defaultValue={params.q} />
        </label>
        {f.tag ? <input type="hidden" name="tag" value={f.tag} /> : null}
        <label>
          <span className="visually-hidden">Kind</span>
          <select name="kind" defaultValue={f.kind ?? ""}>
            <option value="">Every kind</option>
            {LEARNING_KINDS.map((k) => (
              <option key={k} value={k}>
                {LEARNING_KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </label>
        {canWrite ? (
          <label className="field--checkbox-inline">
            <input type="checkbox" name="mine" value="1" defaultChecked={f.mine === "1"} /> Mine only
          </label>
        ) : null}
        <button type="submit" className="button button--secondary">
          Search
        </button>
        {filtered ? <Link to="/learnings">Clear</Link> : null}
      </Form>
      {tags.length > 0 ? (
        <nav aria-label="Filter by tag" className="tag-chips">
          <ul>
            {tags.map(({ tag, count }) => {
              const active = f.tag === tag;
              return (
                <li key={tag}>
                  <Link
                    to={active ? listSearch(params, { page: 1, filters: { tag: "" } }) : withTag(tag)}
                    className={active ? "tag-chip tag-chip--active" : "tag-chip"}
                    aria-current={active ? "true" : undefined}
                  >
                    #{tag} <span className="tag-chip__count">({count})</span>
                    {active ? <span className="visually-hidden"> (selected; remove the filter)</span> : null}
                  </Link>
                </li>
              );
            })}
          </ul>
        </nav>
      ) : null}
      <p className="muted" aria-live="polite">
        {total === 0
          ? filtered
            ? "No learning matches."
            : "Nothing shared yet."
          : `${total.toLocaleString("en")} learning${total === 1 ? "" : "s"}${f.tag ? ` tagged #${f.tag}` : ""}`}
      </p>
      <ol className="learning-list">
        {rows.map((l) => (
          <li key={l.id}>
            <article className="card learning-card" aria-labelledby={`learning-${l.id}`}>
              <h2 id={`learning-${l.id}`}>
                <Link to={`/learnings/${l.id}`}>{l.title}</Link>
              </h2>
              <p className="learning-card__meta">
                <LearningKindBadge kind={l.kind} /> {l.authorId === userId ? "You" : l.authorLabel || "Someone"} ·{" "}
                {formatDateTime(l.createdAt)}
                {l.programName ? ` · ${l.programName}` : ""}
                {l.teamName ? ` · ${l.teamName}` : ""}
              </p>
              <p className="coaching-text learning-card__excerpt">
                {l.excerpt}
                {l.bodyLength > l.excerpt.length ? (
                  <>
                    …{" "}
                    <Link to={`/learnings/${l.id}`}>
                      Read more<span className="visually-hidden"> of “{l.title}”</span>
                    </Link>
                  </>
                ) : null}
              </p>
              <TagList tags={l.tags} hrefFor={withTag} />
            </article>
          </li>
        ))}
      </ol>
      {pageCount > 1 ? (
        <nav className="pager" aria-label="Pages of learnings">
          <span className="muted">
            page {params.page} of {pageCount}
          </span>
          {params.page > 1 ? (
            <Link to={listSearch(params, { page: params.page - 1 })} rel="prev">
              ← Newer
            </Link>
          ) : null}
          {params.page < pageCount ? (
            <Link to={listSearch(params, { page: params.page + 1 })} rel="next">
              Older →
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Learnings · Rollout Desk" }];

export { RouteErrorBoundary as ErrorBoundary } from "~/components/error-message";
