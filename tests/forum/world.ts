/** A small forum for the route tests: members of each tier, staff, and three categories. */
import { db } from "~/db.server";
import { createForumCategory, createForumReply, createForumThread, createUser, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";

export async function forumWorld() {
  await ensureTiers();
  const [community, professional, privateClient, curator, owner, lapsed] = await Promise.all([
    createUser({ tier: "community", name: "Priya Community" }),
    createUser({ tier: "professional", name: "Olga Professional", locale: "ru" }),
    createUser({ tier: "private-client", name: "Irina Private" }),
    createUser({ role: "CURATOR", tier: "professional", name: "Marina Curator" }),
    createUser({ role: "OWNER", tier: null, name: "Alexandra Owner" }),
    createUser({ tier: null, name: "Lapsed Member" }),
  ]);
  const open = await createForumCategory({ slug: "introductions", nameEn: "Introductions" });
  const cto = await createForumCategory({
    slug: "ask-the-cto",
    nameEn: "Ask the CTO",
    access: { professional: "post", "private-client": "post" },
  });
  const stories = await createForumCategory({
    slug: "war-stories",
    nameEn: "Security war stories",
    access: { community: "read", professional: "post", "private-client": "post" },
  });
  const ctoThread = await createForumThread(professional, cto, { title: "Secret roadmap question", body: "Only for Professional and up." });
  const ctoReply = await createForumReply(privateClient, ctoThread.thread.id, "A private answer.");
  const introThread = await createForumThread(community, open, { title: "Hello from Priya", body: "Hi all!" });
  const introReply = await createForumReply(professional, introThread.thread.id, "Welcome, Priya!");
  const storyThread = await createForumThread(professional, stories, { title: "The forgotten bucket", body: "A long story." });
  const cookies = Object.fromEntries(
    await Promise.all(
      Object.entries({ community, professional, privateClient, curator, owner, lapsed }).map(
        async ([key, user]) => [key, await sessionCookie(user.id)] as const,
      ),
    ),
  ) as Record<"community" | "professional" | "privateClient" | "curator" | "owner" | "lapsed", string>;
  return {
    users: { community, professional, privateClient, curator, owner, lapsed },
    cookies,
    categories: { open, cto, stories },
    threads: { cto: ctoThread, intro: introThread, story: storyThread },
    replies: { cto: ctoReply, intro: introReply },
  };
}

type Handler = (args: ReturnType<typeof routeArgs>) => Promise<unknown>;

/** Runs a loader as a GET from the member with this cookie. */
export function get(handler: Handler, path: string, cookie: string | undefined, params: Record<string, string> = {}) {
  return settle(handler(routeArgs(appRequest(path, { cookie }), params)));
}

/** Runs an action as a form POST from the member with this cookie. */
export function post(
  handler: Handler,
  path: string,
  cookie: string | undefined,
  form: Record<string, string | string[]>,
  params: Record<string, string> = {},
) {
  return settle(handler(routeArgs(appRequest(path, { cookie, form }), params)));
}

/** The HTTP status a loader or action result would be sent with. */
export function statusOf(result: unknown): number {
  if (result instanceof Response) return result.status;
  const init = (result as { init?: { status?: number } } | null)?.init;
  return init?.status ?? 200;
}

/** The body of a data() result, or the plain object itself. */
export function bodyOf<T = Record<string, unknown>>(result: unknown): T {
  if (result && typeof result === "object" && "init" in result && "data" in result) return (result as { data: T }).data;
  return result as T;
}

export async function textOf(result: unknown): Promise<string> {
  return result instanceof Response ? result.text() : "";
}

export { db };
