// npm run program:export -- "<program name or id>" [file]   — writes the program's transfer document
// npm run program:import -- <file> <admin email>              — imports one as a new program
// The same export and import as the web pages (ADR 0018), without the 10 MB upload limit, for
// programs too large to upload. On PGlite the server holds the data folder: stop it first (or
// use the pages). On PostgreSQL they run beside the server.
import fs from "node:fs";
import { isDomainError } from "~/models/errors";
import { exportProgram, importProgram, parseDocument } from "~/models/programs/transfer.server";
import { closeDatabase, getDb } from "~/utils/db.server";

const [command, first, second] = process.argv.slice(2);

async function main(): Promise<number> {
  const db = getDb();
  if (command === "export" && first) {
    const program = await db
      .selectFrom("programs")
      .select(["id", "name"])
      .where((eb) => eb.or([eb("id", "=", first), eb("name", "=", first)]))
      .executeTakeFirst();
    if (!program) {
      console.error(`No program with the id or name “${first}”.`);
      return 1;
    }
    const doc = await exportProgram(db, program.id);
    const file = second ?? `program-${program.id}.json`;
    fs.writeFileSync(file, JSON.stringify(doc, null, 1));
    console.log(`Exported “${program.name}” to ${file} (${(fs.statSync(file).size / 1024 / 1024).toFixed(1)} MB).`);
    return 0;
  }
  if (command === "import" && first && second) {
    const admin = await db
      .selectFrom("users")
      .select(["id", "name"])
      .where("email", "=", second.trim().toLowerCase())
      .where("role", "=", "admin")
      .where("active", "=", true)
      .executeTakeFirst();
    if (!admin) {
      console.error(`No active administrator with the email ${second} (the import is recorded in their name).`);
      return 1;
    }
    const parsed = parseDocument(fs.readFileSync(first, "utf8"));
    if (!parsed.ok) {
      console.error(["Nothing was imported:", ...parsed.problems].join("\n  "));
      return 1;
    }
    const summary = await importProgram(db, parsed.document, { actor: admin });
    const org = summary.organization;
    console.log(
      [
        `Imported “${summary.programName}” (id ${summary.programId})${summary.renamedFrom ? `, renamed from “${summary.renamedFrom}”` : ""}.`,
        `People ${org.people.matched} matched, ${org.people.created} added; teams ${org.teams.matched} matched, ${org.teams.created} added; units ${org.units.matched} matched, ${org.units.created} added.`,
        `Accounts named: ${summary.accounts.matched} found here, ${summary.accounts.unmatched} not.`,
      ].join("\n"),
    );
    return 0;
  }
  console.error('Usage: tsx db/program-transfer-cli.ts export "<program name or id>" [file] | import <file> <admin email>');
  return 1;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (!isDomainError(error)) throw error;
  console.error(error.message);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
