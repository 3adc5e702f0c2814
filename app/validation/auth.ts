import { z } from "zod";
import { ROLES } from "../../db/schema";
import { email, newPassword, requiredText } from "./common";

export const loginSchema = z.object({
  email: z.string({ error: "Email is required." }).trim().min(1, "Email is required.").max(254, "Email is too long."),
  password: z.string({ error: "Password is required." }).min(1, "Password is required.").max(200, "Password is too long."),
  redirectTo: z.string().optional(),
});

export const setupSchema = z
  .object({
    name: requiredText("Name"),
    email,
    password: newPassword,
    confirm: z.string({ error: "Repeat the password." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

export const role = z.enum(ROLES, { error: "Choose one of the listed roles." });

export const createUserSchema = z.object({
  name: requiredText("Name"),
  email,
  role,
  password: newPassword,
});

export const updateUserSchema = z.object({
  name: requiredText("Name"),
  email,
  role,
  active: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
});

export const resetPasswordSchema = z.object({ password: newPassword });

export const changePasswordSchema = z
  .object({
    current: z.string({ error: "Enter your current password." }).min(1, "Enter your current password.").max(200),
    password: newPassword,
    confirm: z.string({ error: "Repeat the new password." }),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords do not match." });

/** Only same-site paths: never redirect to another origin after login. */
export function safeRedirect(to: unknown, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // Browsers drop tabs and newlines from a URL, so "/\t/evil.com" would become "//evil.com".
  if (/\p{Cc}/u.test(to)) return fallback;
  return to;
}
