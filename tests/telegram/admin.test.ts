/** /admin/telegram: the owner links a chat (refused at the field with the rights the bot lacks) and sees the log. */
import { stopTelegram, telegram, useWebhook } from "./with-fake-telegram";
import { afterAll, beforeAll, expect, it } from "vitest";
import { action, loader } from "~/routes/admin.telegram";
import { createUser, ensureClubSettings, ensureTiers, sessionCookie } from "../factories";
import { appRequest, routeArgs, settle } from "../support/requests";
import { linkTelegram } from "./support";
import { processAccessChecks } from "~/telegram/chats.server";

beforeAll(async () => {
  await ensureClubSettings();
  await useWebhook();
});
afterAll(() => stopTelegram());

type Reply = { result: { status?: string; error?: Record<string, string[] | null> }; linked: boolean };
const reply = async (response: unknown) => {
  const r = response as { data?: Reply; init?: { status?: number } } & Reply;
  return { body: (r.data ?? r) as Reply, status: r.init?.status ?? 200 };
};

it("the owner links a chat for tiers, is told at the field which rights the bot lacks, and sees grants in the log", async () => {
  const tiers = await ensureTiers();
  const owner = await createUser({ role: "OWNER", tier: null });
  const cookie = await sessionCookie(owner.id);
  const post = (form: Record<string, string | string[]>) => settle(action(routeArgs(appRequest("/admin/telegram", { cookie, form }))));

  telegram.addChat({ id: -1002000000001, type: "supergroup", title: "Half set up", botRights: { status: "administrator", can_invite_users: false, can_restrict_members: true } });
  const refused = await reply(await post({ chatRef: "-1002000000001", tierIds: [tiers.professional.id] }));
  expect(refused.status).toBe(400);
  expect(refused.body.result.error).toMatchObject({ chatRef: ['telegram.admin.error.missing|{"missing":"Invite users via link"}'] });

  const empty = await reply(await post({ chatRef: "" }));
  expect(empty.status).toBe(400);
  expect(empty.body.result.error).toMatchObject({ chatRef: ["telegram.admin.error.chatId"], tierIds: ["telegram.admin.error.tiers"] });

  telegram.addChat({ id: -1002000000002, type: "supergroup", title: "Professionals", botRights: { status: "administrator", can_invite_users: true, can_restrict_members: true } });
  const linked = await reply(await post({ chatRef: "-1002000000002", tierIds: [tiers.professional.id] }));
  expect(linked.body.linked).toBe(true);

  const member = await createUser({ tier: "professional", name: "Oleg Kuznetsov" });
  await linkTelegram(telegram, member.id);
  await processAccessChecks();
  const page = await loader(routeArgs(appRequest("/admin/telegram", { cookie })));
  expect(page.chats).toEqual([expect.objectContaining({ title: "Professionals", telegramChatId: "-1002000000002", tierIds: [tiers.professional.id] })]);
  expect(page.log.map((row) => [row.chat, row.who, row.action])).toEqual([
    ["Professionals", "Oleg Kuznetsov", "GRANTED"],
    ["Professionals", owner.name, "LINKED"],
  ]);

  const someone = await createUser();
  const forbidden = (await settle(loader(routeArgs(appRequest("/admin/telegram", { cookie: await sessionCookie(someone.id) }))))) as Response;
  expect(forbidden.status).toBe(403);
});
