import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { createUser, decodeEntities, PASSWORD, setUpInstallation, signIn, uniqueEmail } from "../support/http-fixtures";
import { startServer, type RunningServer } from "../support/server";

// Every place a password is chosen refuses common, guessable and personal ones (ASVS 2.1.7),
// with the reason beside the password field and the rest of the form kept.

let server: RunningServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

/** The message beside a field: the error paragraph that follows its input, decoded. */
function fieldError(html: string, field: string): string {
  const after = html.slice(html.indexOf(`name="${field}"`));
  return decodeEntities(/class="field__error"[^>]*>([\s\S]*?)<\/p>/.exec(after)?.[1] ?? "").trim();
}

describe("passwords that are refused wherever one is chosen", () => {
  let admin: HttpClient;

  it("setup refuses a common password and the administrator's own email, keeping name and email", async () => {
    const client = new HttpClient(server.url);
    const email = uniqueEmail("first-admin");
    for (const password of ["password1234", email]) {
      const response = await client.post("/setup", { name: "Grace Hopper", email, password, confirm: password });
      expect(response.status, password).toBe(400);
      const html = await response.text();
      expect(fieldError(html, "password")).toMatch(
        /^(This password is too easy to guess\.|The password must not contain your email address\.)/,
      );
      expect(html).toContain('value="Grace Hopper"');
    }
    ({ client: admin } = await setUpInstallation(server.url, { email, password: PASSWORD }));
  });

  it("an administrator cannot create an account with a guessable or personal password", async () => {
    const email = uniqueEmail("new-coach");
    for (const [password, message] of [
      ["aaaaaaaaaaaa", /^This password is too easy to guess\. Repeated characters like "aaa" are easy to guess\./],
      ["Linus Torvalds 99", /^The password must not be made of your name or email address\.$/],
    ] as const) {
      const response = await admin.post("/admin/users/new", { name: "Linus Torvalds", email, role: "coach", password });
      expect(response.status).toBe(400);
      expect(fieldError(await response.text(), "password")).toMatch(message);
    }
  });

  it("an administrator's reset and a user's own change refuse them too", async () => {
    const user = await createUser(admin, { role: "coach", name: "Barbara Liskov" });
    const reset = await admin.post(`/admin/users/${user.id}`, { intent: "reset-password", password: "password1234" });
    expect(reset.status).toBe(400);
    expect(fieldError(await reset.text(), "password")).toMatch(/^This password is too easy to guess\./);

    const client = await signIn(server.url, user);
    const own = await client.post("/account/password", { current: user.password, password: user.email, confirm: user.email });
    expect(own.status).toBe(400);
    expect(fieldError(await own.text(), "password")).toBe("The password must not contain your email address.");
    // Still the old password: nothing was changed.
    await signIn(server.url, user);
  });
});
