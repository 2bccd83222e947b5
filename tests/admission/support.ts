/** Helpers for the admission tests: route outcomes, and the links inside queued emails. */
import { db } from "~/db.server";
import { settle } from "../support/requests";

export type Outcome<T = unknown> = { status: number; headers: Headers; data: T; location: string | null };

/**
 * What a loader or action produced, whichever way it did it: a plain value, `data(...)`
 * with a status, or a Response returned or thrown (redirects, 403s).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function outcome<T = any>(promise: Promise<unknown>): Promise<Outcome<T>> {
  const value = await settle(promise);
  if (value instanceof Response) {
    const text = await value.text();
    return { status: value.status, headers: value.headers, data: text as T, location: value.headers.get("Location") };
  }
  if (value && typeof value === "object" && (value as { type?: string }).type === "DataWithResponseInit") {
    const { data, init } = value as unknown as { data: T; init: ResponseInit | null };
    return { status: init?.status ?? 200, headers: new Headers(init?.headers), data, location: null };
  }
  return { status: 200, headers: new Headers(), data: value as T, location: null };
}

/** The emails queued for an address, newest first. */
export function emailsTo(to: string) {
  return db.email.findMany({ where: { to }, orderBy: { createdAt: "desc" } });
}

/** The token at the end of a link to `path` in an email's text, e.g. linkToken(text, "/invite/"). */
export function linkToken(text: string, path: string): string {
  const match = new RegExp(`${path.replace(/[/?.]/g, "\\$&")}([a-z2-7]+)`).exec(text);
  if (!match) throw new Error(`No link to ${path} in:\n${text}`);
  return match[1];
}

/** Field errors of a Conform reply, by field name. */
export function fieldErrors(data: unknown): Record<string, string[] | null> {
  return ((data as { error?: Record<string, string[] | null> })?.error ?? {}) as Record<string, string[] | null>;
}
