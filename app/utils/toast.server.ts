import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";

export interface Toast {
  /** Distinguishes two toasts with the same words, so each one shows. */
  id: string;
  kind: "success" | "error" | "info";
  message: string;
}

let fallbackSecret: string | undefined;
function secret(): string {
  // The server sets SESSION_SECRET at boot (from the environment or the installation row), so
  // every app process signs alike; the fallback only serves code run outside the server.
  return process.env.SESSION_SECRET || (fallbackSecret ??= randomBytes(32).toString("hex"));
}

function toastCookie(request: Request) {
  return createCookie("rd_toast", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    maxAge: 60,
    secure: new URL(request.url).protocol === "https:",
    secrets: [secret()],
  });
}

export async function setToast(request: Request, toast: Omit<Toast, "id">): Promise<string> {
  return toastCookie(request).serialize({ ...toast, id: randomBytes(6).toString("hex") });
}

/** Reads the pending toast and the header that clears it. */
export async function readToast(request: Request): Promise<{ toast: Toast | null; clear: string | null }> {
  const cookie = toastCookie(request);
  const value = (await cookie.parse(request.headers.get("Cookie"))) as Toast | null;
  if (!value || typeof value.message !== "string" || typeof value.id !== "string") return { toast: null, clear: null };
  return { toast: value, clear: await cookie.serialize("", { maxAge: 0 }) };
}

export async function redirectWithToast(
  request: Request,
  url: string,
  toast: Omit<Toast, "id"> | string,
  headers: HeadersInit = {},
): Promise<Response> {
  const h = new Headers(headers);
  h.append("Set-Cookie", await setToast(request, typeof toast === "string" ? { kind: "success", message: toast } : toast));
  return redirect(url, { headers: h });
}
