/**
 * A Telegram Bot API stand-in on loopback, for tests and the demo (Telegram cannot be reached
 * from our machines). grammY talks to it through `client.apiRoot`: requests are
 * `POST /bot<token>/<method>` with a JSON body, answers are Telegram's `{ ok, result }` or
 * `{ ok: false, error_code, description, parameters: { retry_after } }`.
 *
 * It records every call, keeps chats, their members and invite links, can be told to answer
 * 429 (with retry_after), 5xx, or to drop the connection, and plays the user's side: an update
 * (a /start, a button press, a join) goes to the webhook set with setWebhook, with its secret
 * header, or waits for getUpdates. `GET|POST /_control/...` does the same over HTTP, for
 * Playwright and the demo, which run it in another process.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";

type Json = Record<string, unknown>;
export type TelegramCall = { method: string; params: Json; at: number; answered: "ok" | number | "dropped" };
export type Fault = { method?: string; status: 429 | 500 | 502 | "drop"; retryAfter?: number; times?: number };
export type ChatMemberStatus = "creator" | "administrator" | "member" | "restricted" | "left" | "kicked";
export type FakeChat = {
  id: number;
  type: "group" | "supergroup" | "channel" | "private";
  title?: string;
  /** The bot's rights there; null: the bot is not a member of the chat. */
  botRights: { status: "administrator" | "member"; can_invite_users?: boolean; can_restrict_members?: boolean } | null;
  members: Map<number, ChatMemberStatus>;
};

/** Where the end-to-end server runs the stand-in: derived from the app's port, so the specs find it too. */
export const e2eTelegramPort = (appPort: string | number) => Number(appPort) + 700;

export const FAKE_BOT = { id: 7000001, username: "coterie_test_bot", first_name: "Coterie" };

export async function startFakeTelegram({ token = "7000001:TEST-coterie-token", port = 0 }: { token?: string; port?: number } = {}) {
  const calls: TelegramCall[] = [];
  const faults: Fault[] = [];
  const chats = new Map<number, FakeChat>();
  const inviteLinks = new Map<string, { chatId: number; memberLimit: number | null; used: number; revoked: boolean; name?: string }>();
  const pendingUpdates: Json[] = [];
  let webhook: { url: string; secret?: string } | null = null;
  let nextUpdateId = 100_000;
  let nextMessageId = 1;
  const sockets = new Set<Socket>();

  const ok = (result: unknown) => ({ status: 200, body: { ok: true, result } });
  const fail = (status: number, description: string, parameters?: Json) => ({
    status,
    body: { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
  });
  const chatNotFound = () => fail(400, "Bad Request: chat not found");

  function memberObject(chat: FakeChat, userId: number): Json {
    if (userId === FAKE_BOT.id) {
      if (!chat.botRights) return { status: "left", user: { ...FAKE_BOT, is_bot: true } };
      const { status, ...rights } = chat.botRights;
      return status === "administrator"
        ? { status, user: { ...FAKE_BOT, is_bot: true }, can_be_edited: false, is_anonymous: false, can_manage_chat: true, can_delete_messages: false, can_invite_users: Boolean(rights.can_invite_users), can_restrict_members: Boolean(rights.can_restrict_members), can_promote_members: false, can_change_info: false }
        : { status, user: { ...FAKE_BOT, is_bot: true } };
    }
    return { status: chat.members.get(userId) ?? "left", user: { id: userId, is_bot: false, first_name: `User ${userId}` }, ...(chat.members.get(userId) === "kicked" ? { until_date: 0 } : {}) };
  }

  function buttonsValid(markup: unknown): boolean {
    const rows = (markup as { inline_keyboard?: Array<Array<{ url?: string }>> } | undefined)?.inline_keyboard ?? [];
    // Telegram refuses URL buttons that point at localhost or aren't http(s).
    return rows.flat().every((b) => !b.url || (/^https?:\/\//.test(b.url) && !/^https?:\/\/(localhost|127\.)/.test(b.url)));
  }

  function route(method: string, p: Json): { status: number; body: Json } {
    const chatId = Number(p.chat_id);
    const chat = chats.get(chatId);
    switch (method) {
      case "getMe":
        return ok({ ...FAKE_BOT, is_bot: true, can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false });
      case "setWebhook":
        if (typeof p.url !== "string" || !p.url) return fail(400, "Bad Request: bad webhook: an HTTPS URL must be provided for webhook");
        webhook = { url: p.url, secret: p.secret_token as string | undefined };
        return ok(true);
      case "deleteWebhook":
        webhook = null;
        return ok(true);
      case "getWebhookInfo":
        return ok({ url: webhook?.url ?? "", has_custom_certificate: false, pending_update_count: pendingUpdates.length });
      case "getUpdates": {
        if (webhook) return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
        const offset = Number(p.offset ?? 0);
        while (pendingUpdates.length && Number(pendingUpdates[0].update_id) < offset) pendingUpdates.shift();
        return ok(pendingUpdates.slice(0, Number(p.limit ?? 100)));
      }
      case "sendMessage": {
        if (typeof p.text !== "string" || !p.text.trim()) return fail(400, "Bad Request: message text is empty");
        if ((p.text as string).length > 4096) return fail(400, "Bad Request: message is too long");
        if (!buttonsValid(p.reply_markup)) return fail(400, "Bad Request: BUTTON_URL_INVALID");
        if (!Number.isFinite(chatId)) return chatNotFound();
        return ok({ message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private" }, text: p.text, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) });
      }
      case "editMessageReplyMarkup":
      case "editMessageText":
        return ok({ message_id: Number(p.message_id), date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: "private" }, ...(p.reply_markup ? { reply_markup: p.reply_markup } : {}) });
      case "answerCallbackQuery":
        return ok(true);
      case "getChat":
        if (!chat || !chat.botRights) return chatNotFound();
        return ok({ id: chat.id, type: chat.type, title: chat.title });
      case "getChatMember":
        if (!chat || !chat.botRights) return chatNotFound();
        return ok(memberObject(chat, Number(p.user_id)));
      case "getChatAdministrators":
        if (!chat || !chat.botRights) return chatNotFound();
        return ok([FAKE_BOT.id, ...[...chat.members].filter(([, s]) => s === "administrator" || s === "creator").map(([id]) => id)].filter((id) => id !== FAKE_BOT.id || chat.botRights!.status === "administrator").map((id) => memberObject(chat, id)));
      case "createChatInviteLink": {
        if (!chat || !chat.botRights) return chatNotFound();
        if (chat.botRights.status !== "administrator" || !chat.botRights.can_invite_users) return fail(400, "Bad Request: not enough rights to manage chat invite link");
        const link = `https://t.me/+fake${Math.random().toString(36).slice(2, 14)}`;
        inviteLinks.set(link, { chatId, memberLimit: p.member_limit ? Number(p.member_limit) : null, used: 0, revoked: false, name: p.name as string | undefined });
        return ok({ invite_link: link, creator: { ...FAKE_BOT, is_bot: true }, creates_join_request: false, is_primary: false, is_revoked: false, ...(p.member_limit ? { member_limit: Number(p.member_limit) } : {}), ...(p.name ? { name: p.name } : {}) });
      }
      case "revokeChatInviteLink": {
        const link = inviteLinks.get(String(p.invite_link));
        if (!chat || !link) return fail(400, "Bad Request: INVITE_HASH_EXPIRED");
        link.revoked = true;
        return ok({ invite_link: p.invite_link, creator: { ...FAKE_BOT, is_bot: true }, creates_join_request: false, is_primary: false, is_revoked: true });
      }
      case "banChatMember":
      case "unbanChatMember": {
        if (!chat || !chat.botRights) return chatNotFound();
        if (chat.botRights.status !== "administrator" || !chat.botRights.can_restrict_members) return fail(400, "Bad Request: not enough rights to restrict/unrestrict chat member");
        const userId = Number(p.user_id);
        if (method === "banChatMember") chat.members.set(userId, "kicked");
        else if (chat.members.get(userId) === "kicked") chat.members.set(userId, "left");
        else if (!p.only_if_banned && chat.members.get(userId) === "member") chat.members.set(userId, "left");
        return ok(true);
      }
      default:
        return fail(404, "Not Found: method not found");
    }
  }

  /** getUpdates with a timeout waits (long polling) until an update arrives or the time is up, as Telegram does. */
  const pollers = new Set<() => void>();
  async function longPoll(p: Json): Promise<{ status: number; body: Json }> {
    const first = route("getUpdates", p);
    const waitSeconds = Math.min(Number(p.timeout ?? 0), 50);
    if (first.status !== 200 || (first.body.result as unknown[]).length || waitSeconds <= 0) return first;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        pollers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitSeconds * 1000);
      pollers.add(wake);
    });
    return route("getUpdates", p);
  }

  function takeFault(method: string): Fault | null {
    const index = faults.findIndex((f) => !f.method || f.method === method);
    if (index < 0) return null;
    const fault = faults[index];
    if (fault.times !== undefined && --fault.times <= 0) faults.splice(index, 1);
    return fault;
  }

  /** Sends an update as Telegram would: to the webhook (with its secret header) or into getUpdates' queue. */
  async function deliver(update: Json): Promise<{ status: number } | null> {
    const full = { update_id: nextUpdateId++, ...update };
    if (!webhook) {
      pendingUpdates.push(full);
      for (const wake of [...pollers]) wake();
      return null;
    }
    const response = await fetch(webhook.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(webhook.secret ? { "X-Telegram-Bot-Api-Secret-Token": webhook.secret } : {}) },
      body: JSON.stringify(full),
    });
    await response.text();
    return { status: response.status };
  }

  type From = { id: number; first_name?: string; username?: string; language_code?: string };
  const userOf = (from: From) => ({ is_bot: false, first_name: from.first_name ?? "Tester", ...from });
  const actions = {
    /** A private message to the bot, e.g. "/start <token>". */
    sendText: (from: From, text: string) => {
      const entities = text.startsWith("/") ? [{ type: "bot_command", offset: 0, length: text.split(" ")[0].length }] : undefined;
      return deliver({ message: { message_id: nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private", first_name: from.first_name ?? "Tester" }, from: userOf(from), text, ...(entities ? { entities } : {}) } });
    },
    /** A press of an inline button on a message the bot sent. */
    pressButton: (from: From, data: string, messageId = 1) =>
      deliver({ callback_query: { id: String(nextUpdateId), from: userOf(from), chat_instance: "1", data, message: { message_id: messageId, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private" }, text: "…" } } }),
    /** A member joins a chat through an invite link (single-use links count their uses). */
    join: (from: From, chatId: number, inviteLink?: string) => {
      const chat = chats.get(chatId);
      if (!chat) throw new Error(`no fake chat ${chatId}`);
      if (inviteLink) {
        const link = inviteLinks.get(inviteLink);
        if (!link || link.revoked || (link.memberLimit !== null && link.used >= link.memberLimit)) throw new Error("invite link is not usable");
        link.used++;
      }
      const old = chat.members.get(from.id) ?? "left";
      chat.members.set(from.id, "member");
      return deliver({
        chat_member: {
          chat: { id: chat.id, type: chat.type, title: chat.title },
          from: userOf(from),
          date: Math.floor(Date.now() / 1000),
          old_chat_member: { status: old, user: userOf(from) },
          new_chat_member: { status: "member", user: userOf(from) },
          ...(inviteLink ? { invite_link: { invite_link: inviteLink, creator: { ...FAKE_BOT, is_bot: true }, creates_join_request: false, is_primary: false, is_revoked: false } } : {}),
        },
      });
    },
  };

  const server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      let params: Json = {};
      try {
        params = raw ? (req.headers["content-type"]?.includes("json") ? JSON.parse(raw) : Object.fromEntries(new URLSearchParams(raw))) : Object.fromEntries(url.searchParams);
      } catch {
        return send(400, { ok: false, error_code: 400, description: "Bad Request: can't parse JSON" });
      }
      // The stand-in's own controls (not part of the Bot API).
      if (url.pathname.startsWith("/_control/")) {
        const what = url.pathname.slice("/_control/".length);
        try {
          if (what === "calls") return send(200, calls);
          if (what === "text") return send(200, await actions.sendText(params.from as From, String(params.text)));
          if (what === "press") return send(200, await actions.pressButton(params.from as From, String(params.data)));
          if (what === "join") return send(200, await actions.join(params.from as From, Number(params.chatId), params.inviteLink as string | undefined));
          if (what === "chat") {
            const chat = params as unknown as FakeChat & { members?: Array<[number, ChatMemberStatus]> };
            chats.set(Number(chat.id), { ...chat, id: Number(chat.id), members: new Map(chat.members ?? []) });
            return send(200, { ok: true });
          }
        } catch (error) {
          return send(400, { error: (error as Error).message });
        }
        return send(404, { error: "unknown control" });
      }
      const m = url.pathname.match(/^\/bot([^/]+)\/(\w+)$/);
      if (!m) return send(404, { ok: false, error_code: 404, description: "Not Found" });
      const method = m[2];
      if (m[1] !== token) {
        calls.push({ method, params, at: Date.now(), answered: 401 });
        return send(401, { ok: false, error_code: 401, description: "Unauthorized" });
      }
      const fault = takeFault(method);
      if (fault?.status === "drop") {
        calls.push({ method, params, at: Date.now(), answered: "dropped" });
        return req.socket.destroy();
      }
      if (fault) {
        calls.push({ method, params, at: Date.now(), answered: fault.status });
        if (fault.status === 429) return send(429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${fault.retryAfter ?? 1}`, parameters: { retry_after: fault.retryAfter ?? 1 } });
        return send(fault.status, { ok: false, error_code: fault.status, description: fault.status === 500 ? "Internal Server Error" : "Bad Gateway" });
      }
      const answer = method === "getUpdates" ? await longPoll(params) : route(method, params);
      calls.push({ method, params, at: Date.now(), answered: answer.status === 200 ? "ok" : answer.status });
      send(answer.status, answer.body);
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    token,
    apiRoot,
    calls,
    /** Successful calls of one method. */
    sent: (method: string) => calls.filter((c) => c.method === method && c.answered === "ok"),
    fault: (fault: Fault) => faults.push(fault),
    clearFaults: () => faults.splice(0),
    addChat: (chat: Omit<FakeChat, "members"> & { members?: Array<[number, ChatMemberStatus]> }) => {
      const made: FakeChat = { ...chat, members: new Map(chat.members ?? []) };
      chats.set(chat.id, made);
      return made;
    },
    chat: (id: number) => chats.get(id),
    inviteLink: (link: string) => inviteLinks.get(link),
    webhook: () => webhook,
    ...actions,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const wake of [...pollers]) wake();
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;
