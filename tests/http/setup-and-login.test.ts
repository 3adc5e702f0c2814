import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient } from "../support/http-client";
import { startServer, type RunningServer } from "../support/server";

describe("first run: setup once, then sign in", () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("an empty installation sends the first visitor to setup", async () => {
    const client = new HttpClient(server.url);
    const response = await client.get("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/setup");
  });

  it("setup creates the administrator, signs them in, and is gone for good afterwards", async () => {
    const client = new HttpClient(server.url);
    const created = await client.post("/setup", {
      name: "Ada Admin",
      email: "ada@example.com",
      password: "correct-horse-battery",
      confirm: "correct-horse-battery",
    });
    expect(created.status).toBe(302);
    const programs = await client.get("/programs");
    expect(programs.status).toBe(200);
    expect(await programs.text()).toContain("Ada Admin");

    const stranger = new HttpClient(server.url);
    const again = await stranger.get("/setup");
    expect(again.status).toBe(302);
    expect(again.headers.get("location")).toBe("/login");
    const secondAdmin = await stranger.post("/setup", {
      name: "Mallory",
      email: "mallory@example.com",
      password: "correct-horse-battery",
      confirm: "correct-horse-battery",
    });
    expect(secondAdmin.status).toBe(403);
    const login = await stranger.post("/login", { email: "mallory@example.com", password: "correct-horse-battery" });
    expect(login.status).toBe(401);
  });
});
