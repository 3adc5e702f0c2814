import { createCookie } from "@remix-run/node";

// Remembers the program last opened, so "/" returns to it. Not sensitive: just an id.
const cookie = createCookie("rd_program", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 60 * 60 * 24 * 365 });

export async function lastProgramId(request: Request): Promise<string | null> {
  const value = await cookie.parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export function rememberProgram(programId: string): Promise<string> {
  return cookie.serialize(programId);
}
