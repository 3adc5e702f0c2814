// Helpers for the HR import's tests: the fixture files, staging a file, reading its preview and
// committing it through the model functions the routes call.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Actor } from "~/models/audit/audit.server";
import type { LeaverChoice } from "~/models/org/import-fields";
import { commitImport } from "~/models/org/import-commit.server";
import { listItems, type ItemRow, type ReviewList } from "~/models/org/import-review.server";
import { getImport, stageUpload, type StagedImport } from "~/models/org/import-stage.server";
import type { DB } from "~/utils/db.server";

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "hr");

/** The bytes of tests/fixtures/hr/<name>, as a browser would upload them. */
export function hrFixture(name: string): Uint8Array {
  return new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
}

/** Stages a file (a fixture's bytes or CSV text) and returns the staged import, planned. */
export async function stage(db: DB, actor: Actor, content: Uint8Array | string, fileName = "hr.csv"): Promise<StagedImport> {
  const { id } = await stageUpload(db, actor, { fileName, content });
  return getImport(db, id);
}

/** Every item of one list of the preview (all pages). */
export async function items(db: DB, importId: string, list: ReviewList): Promise<ItemRow[]> {
  const page = await listItems(db, importId, list, { q: "", sort: "seq", dir: "asc", page: 1, size: 10_000, filters: {} });
  return page.rows;
}

/** Commits a staged import with the digest of its current preview. */
export async function commit(db: DB, actor: Actor, importId: string, leavers: LeaverChoice | null = null) {
  const upload = await getImport(db, importId);
  return commitImport(db, actor, importId, { fingerprint: upload.fingerprint, leavers });
}

/** Stages and commits a file in one go (the "month before" of a test). */
export async function importFile(db: DB, actor: Actor, content: Uint8Array | string, leavers: LeaverChoice | null = null) {
  const upload = await stage(db, actor, content);
  return commit(db, actor, upload.id, leavers);
}
