import { parseWithZod } from "@conform-to/zod/v4";
import { db } from "~/db.server";
import { Prisma } from "~/generated/prisma/client";
import type { Locale } from "~/i18n/dictionary";
import type { MemberNotificationKind } from "~/notifications/kinds";
import { inAppLine, type Notice } from "~/notifications/messages.server";
import { decodeTouchCursor, encodeTouchCursor, TOUCH_KINDS, TOUCH_PAGE_SIZE, TouchFilterSchema, type TouchCursor, type TouchKind } from "./touch-map";

/**
 * A member's touch map: every contact the club had with them and everything they did that
 * staff look at before a follow-up, in ONE SQL query (UNION ALL over the sources), newest first
 * by (at DESC, kind, id), 50 a page with a keyset cursor. Each source gives (at, kind, id) and a
 * small JSON payload; `id` is unique within its kind (a run's entry and exit are "<run>:entered"
 * and "<run>:exited", a run's step "<run>:<position>").
 */
type Staff = { byId: string | null; by: string | null };

export type TouchPayload = {
  email: { subject: string; template: string; status: "QUEUED" | "SENT" | "FAILED" };
  telegram: { purpose: string; status: "PENDING" | "SENT" | "FAILED"; text: string };
  notification: { notice: string; url: string };
  playbook:
    | { event: "entered"; playbookId: string; playbook: string; heldOut: boolean }
    | { event: "exited"; playbookId: string; playbook: string; reason: string | null }
    | { event: "step"; playbookId: string; playbook: string; step: "WAIT" | "SEND" | "TASK"; template: string | null; channels: Record<string, number> | null };
  task: ({ event: "created"; note: string; playbook: string | null; open: boolean } | { event: "done"; note: string }) & Staff;
  "follow-up": { kind: "EMAIL" | "CONTACTED" | "NOTE"; note: string | null } & Staff;
  survey: { score: number | null; comment: string | null };
  reply: { responseId: string; score: number | null; body: string } & Staff;
  vote: { itemId: string; title: string };
  post: { postId: string; title: string; opening: boolean; visible: boolean; deleted: boolean };
  payment: { kind: "INVOICE_PAID" | "REFUND"; amount: number; currency: string };
  subscription: {
    event: "started" | "ended";
    tierEn: string;
    tierRu: string;
    status: string;
    amount: number;
    currency: string;
    interval: "MONTH" | "YEAR" | null;
  };
};

export type Touch = { [K in TouchKind]: { at: string; kind: K; id: string; payload: TouchPayload[K] } }[TouchKind];

export type TouchPage = { touches: Touch[]; older: string | null };

type Row = { at: Date; kind: TouchKind; id: string; payload: Record<string, unknown> };

/** The query's text is fixed: the member, the kinds wanted and the cursor are parameters. */
function touchSql(userId: string, kinds: readonly string[], cursor: TouchCursor | null, limit: number) {
  const want = (kind: TouchKind) => Prisma.sql`${kind}::text = ANY(${kinds}::text[])`;
  const at = cursor ? cursor.at : null;
  return Prisma.sql`
    SELECT touch.at, touch.kind, touch.id, touch.payload FROM (
      SELECT e."createdAt" AS at, 'email'::text AS kind, e.id,
             json_build_object('subject', e.subject, 'template', e.template, 'status', e.status) AS payload
      FROM "Email" e WHERE e."userId" = ${userId} AND ${want("email")}
      UNION ALL
      SELECT m."createdAt", 'telegram', m.id, json_build_object('purpose', m.purpose, 'status', m.status, 'text', left(m.text, 300))
      FROM "TelegramMessage" m WHERE m."userId" = ${userId} AND ${want("telegram")}
      UNION ALL
      SELECT n."createdAt", 'notification', n.id, json_build_object('kind', n.kind, 'values', n."values", 'url', n.url)
      FROM "Notification" n WHERE n."userId" = ${userId} AND ${want("notification")}
      UNION ALL
      SELECT r."enteredAt", 'playbook', r.id || ':entered',
             json_build_object('event', 'entered', 'playbookId', p.id, 'playbook', p.name, 'heldOut', r."heldOut")
      FROM "PlaybookRun" r JOIN "Playbook" p ON p.id = r."playbookId" WHERE r."userId" = ${userId} AND ${want("playbook")}
      UNION ALL
      SELECT r."exitedAt", 'playbook', r.id || ':exited',
             json_build_object('event', 'exited', 'playbookId', p.id, 'playbook', p.name, 'reason', r."exitReason")
      FROM "PlaybookRun" r JOIN "Playbook" p ON p.id = r."playbookId"
      WHERE r."userId" = ${userId} AND r."exitedAt" IS NOT NULL AND ${want("playbook")}
      UNION ALL
      SELECT s."doneAt", 'playbook', s."runId" || ':' || s.position,
             json_build_object('event', 'step', 'playbookId', p.id, 'playbook', p.name, 'step', s.kind, 'template', t.name, 'channels', s.channels)
      FROM "PlaybookRunStep" s JOIN "PlaybookRun" r ON r.id = s."runId" JOIN "Playbook" p ON p.id = r."playbookId"
      LEFT JOIN "FollowUpTemplate" t ON t.id = s."templateId"
      WHERE r."userId" = ${userId} AND ${want("playbook")}
      UNION ALL
      SELECT k."createdAt", 'task', k.id || ':created',
             json_build_object('event', 'created', 'note', k.note, 'playbook', p.name, 'open', k."doneAt" IS NULL, 'byId', NULL, 'by', NULL)
      FROM "CuratorTask" k LEFT JOIN "PlaybookRun" r ON r.id = k."runId" LEFT JOIN "Playbook" p ON p.id = r."playbookId"
      WHERE k."memberId" = ${userId} AND ${want("task")}
      UNION ALL
      SELECT k."doneAt", 'task', k.id || ':done', json_build_object('event', 'done', 'note', k.note, 'byId', k."doneById", 'by', d.name)
      FROM "CuratorTask" k LEFT JOIN "User" d ON d.id = k."doneById"
      WHERE k."memberId" = ${userId} AND k."doneAt" IS NOT NULL AND ${want("task")}
      UNION ALL
      SELECT f."createdAt", 'follow-up', f.id, json_build_object('kind', f.kind, 'note', f.note, 'byId', f."staffId", 'by', s.name)
      FROM "MemberFollowUp" f LEFT JOIN "User" s ON s.id = f."staffId" WHERE f."memberId" = ${userId} AND ${want("follow-up")}
      UNION ALL
      SELECT a."createdAt", 'survey', a.id, json_build_object('score', a.score, 'comment', a.comment)
      FROM "NpsResponse" a WHERE a."userId" = ${userId} AND ${want("survey")}
      UNION ALL
      SELECT y."createdAt", 'reply', y.id,
             json_build_object('responseId', a.id, 'score', a.score, 'body', y.body, 'byId', y."staffId", 'by', s.name)
      FROM "NpsReply" y JOIN "NpsResponse" a ON a.id = y."responseId" LEFT JOIN "User" s ON s.id = y."staffId"
      WHERE a."userId" = ${userId} AND ${want("reply")}
      UNION ALL
      SELECT v."createdAt", 'vote', v."itemId", json_build_object('itemId', i.id, 'title', i.title)
      FROM "RoadmapVote" v JOIN "RoadmapItem" i ON i.id = v."itemId" WHERE v."userId" = ${userId} AND ${want("vote")}
      UNION ALL
      SELECT fp."createdAt", 'post', fp.id,
             json_build_object('postId', fp.id, 'title', th.title, 'opening', fp."isOpening", 'visible', fp.visible,
                               'deleted', fp."deletedAt" IS NOT NULL OR th."deletedAt" IS NOT NULL)
      FROM "ForumPost" fp JOIN "ForumThread" th ON th.id = fp."threadId" WHERE fp."authorId" = ${userId} AND ${want("post")}
      UNION ALL
      SELECT l."occurredAt", 'payment', l.id, json_build_object('kind', l.kind, 'amount', l.amount, 'currency', l.currency)
      FROM "LedgerEntry" l WHERE l."userId" = ${userId} AND ${want("payment")}
      UNION ALL
      SELECT s."startedAt", 'subscription', s.id || ':started',
             json_build_object('event', 'started', 'tierEn', t."nameEn", 'tierRu', t."nameRu", 'status', s.status,
                               'amount', s.amount, 'currency', s.currency, 'interval', s.interval)
      FROM "Subscription" s JOIN "Tier" t ON t.id = s."tierId" WHERE s."userId" = ${userId} AND ${want("subscription")}
      UNION ALL
      SELECT s."endedAt", 'subscription', s.id || ':ended',
             json_build_object('event', 'ended', 'tierEn', t."nameEn", 'tierRu', t."nameRu", 'status', s.status,
                               'amount', s.amount, 'currency', s.currency, 'interval', s.interval)
      FROM "Subscription" s JOIN "Tier" t ON t.id = s."tierId"
      WHERE s."userId" = ${userId} AND s."endedAt" IS NOT NULL AND ${want("subscription")}
    ) touch
    WHERE ${at}::timestamp IS NULL OR touch.at < ${at}::timestamp
       OR (touch.at = ${at}::timestamp AND (touch.kind COLLATE "C", touch.id COLLATE "C") > (${cursor?.kind ?? null}::text COLLATE "C", ${cursor?.id ?? null}::text COLLATE "C"))
    ORDER BY touch.at DESC, touch.kind COLLATE "C", touch.id COLLATE "C"
    LIMIT ${limit}::int`;
}

/**
 * One page of the member's touch map. `kinds` empty = every kind. Notifications are rendered
 * here as the bell shows them, in the reader's language (`locale`).
 */
export async function touchMap(
  userId: string,
  { kinds = [], cursor = null, locale, pageSize = TOUCH_PAGE_SIZE }: { kinds?: readonly TouchKind[]; cursor?: TouchCursor | null; locale: Locale; pageSize?: number },
): Promise<TouchPage> {
  const wanted = kinds.length ? kinds : TOUCH_KINDS;
  const rows = await db.$queryRaw<Row[]>(touchSql(userId, wanted, cursor, pageSize + 1));
  const page = rows.slice(0, pageSize);
  const touches = page.map((row) => toTouch(row, locale));
  const last = touches[touches.length - 1];
  return { touches, older: rows.length > pageSize && last ? encodeTouchCursor(last) : null };
}

function toTouch(row: Row, locale: Locale): Touch {
  const at = row.at.toISOString();
  if (row.kind === "notification") {
    const { kind, values, url } = row.payload as { kind: MemberNotificationKind; values: unknown; url: string };
    let line: string;
    try {
      line = inAppLine(locale, { kind, values, url } as Notice);
    } catch {
      // A kind whose values this version cannot read (an older shape): the kind's name still says what it was.
      line = kind;
    }
    return { at, kind: "notification", id: row.id, payload: { notice: line, url } };
  }
  return { at, kind: row.kind, id: row.id, payload: row.payload } as Touch;
}

/**
 * The member page's touch map from its URL (`kind` ticked, `before` the cursor). A filter no
 * form of ours sends (an unknown kind, a broken cursor) gives no touches and the message at the filter.
 */
export async function readTouchMap(userId: string, params: URLSearchParams, locale: Locale) {
  const submission = parseWithZod(params, { schema: TouchFilterSchema });
  if (submission.status !== "success") {
    return { ok: false as const, kinds: [], result: submission.reply(), touches: [], older: null, newest: null };
  }
  const kinds = submission.value.kind ?? [];
  const cursor = submission.value.before ? decodeTouchCursor(submission.value.before) : null;
  const page = await touchMap(userId, { kinds, cursor, locale });
  const keep = new URLSearchParams(kinds.map((kind) => ["kind", kind]));
  const link = (before?: string) => {
    const search = new URLSearchParams(keep);
    if (before) search.set("before", before);
    return `/admin/members/${encodeURIComponent(userId)}${search.size ? `?${search}` : ""}#touch-map`;
  };
  return { ok: true as const, kinds, result: null, touches: page.touches, older: page.older ? link(page.older) : null, newest: cursor ? link() : null };
}
