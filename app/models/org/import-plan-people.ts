import type { PlanItem, SnapshotPerson } from "./import-plan";
import { childKey, listLines, lower, quote, type PlanState } from "./import-plan-state";

// Steps of an HR import plan over the whole organization once every line is read: each team's
// lead, the leavers, "renamed?" teams and "changed email?" people to confirm, and teams left
// without members or a lead.

// --- Step: team leads ----------------------------------------------------------------------

/**
 * A team's lead is decided by the rows of the team: the lead's own row when one row names its own
 * person as lead, else the lead most rows name (the current lead wins a tie). Rows that name
 * someone else give one warning per team, with their lines.
 */
export function decideLeads(s: PlanState): Array<{ teamId: string; leadPersonId: string; from: string; to: string; reason: string }> {
  if (!s.mapped("teamLeadEmail")) return [];
  const idByEmail = new Map<string, { id: string; name: string }>();
  for (const p of s.snapshot.people) if (!p.archived && !s.matchedBy.has(p.id)) idByEmail.set(lower(p.email), { id: p.id, name: p.name });
  for (const o of s.outcomes) if (o.person) idByEmail.set(o.person.email, { id: o.person.id, name: o.person.name });
  const byTeam = new Map<string, Array<{ line: number; lead: string; own: boolean }>>();
  for (const o of s.outcomes) {
    if (!o.person?.teamId) continue;
    const lead = lower(s.cell(o.row, "teamLeadEmail"));
    if (!lead) continue;
    const list = byTeam.get(o.person.teamId) ?? [];
    list.push({ line: o.row.line, lead, own: lead === o.person.email });
    byTeam.set(o.person.teamId, list);
  }
  const changes: Array<{ teamId: string; leadPersonId: string; from: string; to: string; reason: string }> = [];
  for (const [teamId, rows] of byTeam) {
    const team = s.teams.get(teamId)!;
    const currentEmail = team.leadPersonId ? lower(s.peopleById.get(team.leadPersonId)?.email ?? "") : "";
    const votes = new Map<string, number[]>();
    for (const r of rows) votes.set(r.lead, [...(votes.get(r.lead) ?? []), r.line]);
    const own = [...new Set(rows.filter((r) => r.own).map((r) => r.lead))];
    const ranked = [...votes.entries()].sort(
      (a, b) => b[1].length - a[1].length || Number(b[0] === currentEmail) - Number(a[0] === currentEmail) || a[1][0] - b[1][0],
    );
    const chosen = own.length === 1 ? own[0] : ranked[0][0];
    const reason =
      own.length === 1
        ? `their own row, line ${rows.find((r) => r.own)!.line}`
        : `named on ${votes.get(chosen)!.length} of ${rows.length} rows`;
    const others = ranked.filter(([email]) => email !== chosen);
    if (others.length > 0) {
      const detail = others.map(([email, lines]) => `${listLines(lines)} ${lines.length === 1 ? "names" : "name"} ${email}`).join("; ");
      s.warn(
        others[0][1][0],
        "teamLeadEmail",
        `Team ${quote(team.name)}: the lead is ${chosen} (${reason}); ${detail}.`,
        teamId,
        s.teamLabel(teamId),
      );
    }
    const lead = idByEmail.get(chosen);
    if (!lead) {
      s.warn(
        votes.get(chosen)![0],
        "teamLeadEmail",
        `Team ${quote(team.name)}: the lead ${chosen} (${listLines(votes.get(chosen)!)}) is neither in this file nor in Rollout Desk; the team keeps its current lead.`,
        teamId,
        s.teamLabel(teamId),
      );
      continue;
    }
    if (team.leadPersonId !== lead.id) {
      const from = team.leadPersonId ? (s.peopleById.get(team.leadPersonId)?.name ?? "") : "";
      changes.push({ teamId, leadPersonId: lead.id, from, to: `${lead.name} (${chosen})`, reason });
      team.leadPersonId = lead.id;
    }
  }
  return changes;
}

// --- Steps: leavers, watched teams, proposals ------------------------------------------------

export function findLeavers(s: PlanState): SnapshotPerson[] {
  return s.snapshot.people
    .filter((p) => !p.archived && !s.present.has(p.id))
    .sort((a, b) => a.name.localeCompare(b.name, "en") || a.email.localeCompare(b.email));
}

/** Existing teams that no line of the file names and most of whose members now are in one new team. */
export function proposeRenames(s: PlanState, leaverIds: Set<string>): PlanItem[] {
  if (s.mapped("teamExternalId") || !s.mapped("team")) return [];
  const named = new Set<string>();
  for (const o of s.outcomes) if (o.person?.teamId) named.add(o.person.teamId);
  const membersBefore = new Map<string, number>();
  for (const p of s.snapshot.people) if (!p.archived && p.teamId) membersBefore.set(p.teamId, (membersBefore.get(p.teamId) ?? 0) + 1);
  // New team → (old team → members who come from it).
  const flows = new Map<string, Map<string, number>>();
  for (const u of s.peopleToUpdate) {
    const to = u.teamId ? s.teams.get(u.teamId) : undefined;
    const from = u.previousTeamId ? s.teams.get(u.previousTeamId) : undefined;
    if (!to?.isNew || !from || from.isNew || from.archived || named.has(from.id) || from.unitId !== to.unitId) continue;
    const m = flows.get(to.id) ?? new Map<string, number>();
    m.set(from.id, (m.get(from.id) ?? 0) + 1);
    flows.set(to.id, m);
  }
  const items: PlanItem[] = [];
  const used = new Set<string>();
  for (const [newTeamId, sources] of flows) {
    const [best] = [...sources.entries()].sort((a, b) => b[1] - a[1]);
    if (!best || used.has(best[0])) continue;
    const [oldId, shared] = best;
    const total = membersBefore.get(oldId) ?? 0;
    if (shared * 2 <= total) continue;
    used.add(oldId);
    const oldTeam = s.teams.get(oldId)!;
    const newTeam = s.teams.get(newTeamId)!;
    const leaving = [...leaverIds].filter((id) => s.peopleById.get(id)?.teamId === oldId).length;
    items.push({
      kind: "rename_candidate",
      line: newTeam.changedOn,
      refId: oldId,
      name: s.unitPath(oldTeam.unitId),
      email: "",
      field: childKey(newTeam.unitId, newTeam.name),
      before: oldTeam.name,
      after: newTeam.name,
      message: `${shared} of its ${total} members are in ${quote(newTeam.name)} in this file${leaving ? `; ${leaving} not in the file` : ""}. Confirm to rename the team (its coaches, wave and history follow).`,
      extra: { shared, total },
    });
  }
  return items;
}

/** Email key only: a new line whose name is a leaver's name may be that person with a changed email. */
export function proposeEmailChanges(s: PlanState, leavers: SnapshotPerson[]): PlanItem[] {
  if (s.key !== "email") return [];
  const leaversByName = new Map<string, SnapshotPerson[]>();
  for (const p of leavers) leaversByName.set(lower(p.name), [...(leaversByName.get(lower(p.name)) ?? []), p]);
  const items: PlanItem[] = [];
  for (const p of s.peopleToCreate) {
    const same = leaversByName.get(lower(p.name));
    if (!same || same.length !== 1) continue;
    const old = same[0];
    items.push({
      kind: "email_candidate",
      line: p.line,
      refId: old.id,
      name: p.name,
      email: p.email,
      field: "email",
      before: old.email,
      after: p.email,
      message: `Line ${p.line} has a new email, and ${old.name} (${old.email}, ${s.placeLabel(old.unitId, old.teamId) || "no unit"}) is not in the file. Confirm if they are the same person; otherwise the line is a new person.`,
      extra: null,
    });
  }
  return items;
}

export function leaverItems(s: PlanState, leavers: SnapshotPerson[], leadChanges: Map<string, string>): PlanItem[] {
  const coachRoles = new Map<string, string[]>();
  for (const c of s.snapshot.coaches)
    coachRoles.set(c.personId, [...(coachRoles.get(c.personId) ?? []), `coach in ${quote(c.programName)} (${c.teams} teams)`]);
  const leads = new Map<string, string[]>();
  for (const t of s.teams.values()) {
    if (t.isNew || t.archived || !t.leadPersonId || leadChanges.has(t.id)) continue;
    leads.set(t.leadPersonId, [...(leads.get(t.leadPersonId) ?? []), t.name]);
  }
  return leavers.map((p) => {
    const roles = [...(leads.get(p.id) ?? []).map((team) => `leads ${quote(team)}`), ...(coachRoles.get(p.id) ?? [])];
    return {
      kind: "leave",
      line: null,
      refId: p.id,
      name: p.name,
      email: p.email,
      field: p.externalId ?? "",
      before: s.placeLabel(p.unitId, p.teamId),
      after: "",
      message: roles.length > 0 ? `To replace: ${roles.join("; ")}` : "",
      extra: roles.length > 0 ? { roles } : null,
    };
  });
}

/** Teams the import leaves without members or without a lead. */
export function watchedTeams(s: PlanState, leaverIds: Set<string>): PlanItem[] {
  const before = new Map<string, number>();
  for (const p of s.snapshot.people) if (!p.archived && p.teamId) before.set(p.teamId, (before.get(p.teamId) ?? 0) + 1);
  const after = new Map<string, number>();
  for (const o of s.outcomes) if (o.person?.teamId) after.set(o.person.teamId, (after.get(o.person.teamId) ?? 0) + 1);
  const items: PlanItem[] = [];
  for (const team of s.teams.values()) {
    if (team.archived) continue;
    const reasons: string[] = [];
    const had = before.get(team.id) ?? 0;
    if (had > 0 && !after.has(team.id))
      reasons.push(`no one in the file is in this team (it has ${had} ${had === 1 ? "member" : "members"} now)`);
    if (team.leadPersonId && leaverIds.has(team.leadPersonId))
      reasons.push(`its lead ${s.peopleById.get(team.leadPersonId)?.name ?? ""} is not in the file`);
    else if (!team.leadPersonId && after.has(team.id) && s.mapped("teamLeadEmail")) reasons.push("it has no lead");
    if (reasons.length === 0) continue;
    items.push({
      kind: "team_alert",
      line: null,
      refId: team.id,
      name: s.teamLabel(team.id),
      email: "",
      field: "",
      before: "",
      after: "",
      message: reasons.join("; "),
      extra: null,
    });
  }
  return items.sort((a, b) => a.name.localeCompare(b.name, "en"));
}
