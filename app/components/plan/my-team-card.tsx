import { Link } from "@remix-run/react";
import type { OnboardingStatus } from "../../../db/schema";
import { formatDate } from "~/utils/dates";
import { StatusBadge } from "./readiness";

export interface MyTeam {
  teamId: string;
  teamName: string;
  unitName: string;
  waveName: string | null;
  waveStartsOn: string | null;
  waveEndsOn: string | null;
  status: OnboardingStatus;
  statusChangedOn: string | null;
}

/**
 * A team lead's card on the program home: the team(s) they lead, with wave, dates and onboarding
 * status. Load the data with `getTeamLeadView(db, user.id, program.id)`.
 */
export function MyTeamCard({ programId, teams }: { programId: string; teams: MyTeam[] }) {
  return (
    <section className="card">
      <h2>{teams.length > 1 ? "Your teams" : "Your team"}</h2>
      {teams.length === 0 ? (
        <p className="muted">
          No team in the organization lists you as its lead yet. When the Program Lead Office links your account to your team, its place in
          the rollout appears here.
        </p>
      ) : (
        <ul className="my-teams">
          {teams.map((team) => (
            <li key={team.teamId}>
              <Link to={`/programs/${programId}/teams/${team.teamId}`}>
                <strong>{team.teamName}</strong>
              </Link>{" "}
              <span className="muted">· {team.unitName}</span>
              <p>
                {team.waveName ? (
                  <>
                    In <strong>{team.waveName}</strong>
                    {team.waveStartsOn || team.waveEndsOn ? (
                      <span className="muted">
                        {" "}
                        ({formatDate(team.waveStartsOn) ?? "start open"} – {formatDate(team.waveEndsOn) ?? "end open"})
                      </span>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">Not in a rollout wave yet</span>
                )}
                {" · "}
                <StatusBadge status={team.status} />
                {team.statusChangedOn ? <span className="muted"> since {formatDate(team.statusChangedOn)}</span> : null}
              </p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
