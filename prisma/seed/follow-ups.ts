import { createHash } from "node:crypto";
import type { Locale, PlaybookExit, PlaybookStepKind, PlaybookTrigger, Prisma } from "../../app/generated/prisma/client";
import { getClubSettings } from "../../app/club.server";
import { db } from "../../app/db.server";
import { emailBodies } from "../../app/email/email.server";
import { translator } from "../../app/i18n/dictionary";
import { fillPlaceholders } from "../../app/i18n/placeholders";
import { emailFor, type Notice } from "../../app/notifications/messages.server";
import { segmentFilterSchema, type SegmentFilter } from "../../app/segments/filter";
import { telegramFor } from "../../app/telegram/channel.server";
import { composeMessage } from "../../app/telegram/outbox.server";
import { HISTORY_ID_PREFIX } from "./metrics";
import { random } from "./random";

/**
 * The demo club's follow-ups (section 7): four segments, seven templates in English and
 * Russian, and three playbooks the owner set up about a year ago, with the year of runs they
 * would have produced, derived from the seeded history (memberships, activity, NPS answers):
 *  1. "Detractor follow-up" (BECAME_DETRACTOR): a personal note, a task for a curator to call,
 *     a week later a second note. Exits: the member answers the survey again, or staff close it.
 *  2. "21-day inactivity nudge" (INACTIVE, 21 days): a note on what the club talked about
 *     lately, a week later a second one. Exit: the member is active again.
 *  3. "Welcome sequence" (JOINED, 1 day): day 1, day 7 and day 30 messages. No exit on return
 *     (an active newcomer still gets the rest of the welcome).
 * Each run has the occurrence key, steps, times and exit the scheduler (app/playbooks/
 * scheduler.server.ts) would have written had it been running since then: steps are done at
 * their due times while the run is open; an exit (return, survey, membership ended, staff
 * closed) stops the rest; a run whose next step is due after `now` stays open with `nextAt` ahead,
 * and the scheduler carries on from there when the demo runs. Each SEND is in the outbox (an
 * Email row, sent), in the bell (a Notification row, read long since, so no unread count
 * changes) and on Telegram when the member had linked it then, as `notify` writes them.
 *
 * Returns are from the data, with one addition made consistently: a generated member
 * (metrics-demo-*) who got an inactivity nudge opens the portal from it with a small chance
 * (a VISIT an hour to three days later), which is what ends such a run with CAME_BACK. The held
 * out get no message, so they have no such visit. The named demo members keep exactly the
 * activity metrics.ts gave them (the at-risk list and the e2e specs rely on it).
 *
 * Deterministic (seeded generators); runs once: it does nothing when the playbooks exist.
 */

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** The scheduler ticks every minute: a step after a SEND or TASK is done at the next tick. */
const TICK = 60_000;

export const FOLLOW_UP_IDS = {
  detractor: "demo-playbook-detractor",
  inactive: "demo-playbook-inactive",
  welcome: "demo-playbook-welcome",
} as const;

/** The email template name of a playbook's message in the outbox (the scheduler's FOLLOW_UP_EMAIL_TEMPLATE). */
export const PLAYBOOK_EMAIL_TEMPLATE = "playbook-follow-up";
/** Where a follow-up's bell entry and email button lead (the scheduler's FOLLOW_UP_URL). */
export const FOLLOW_UP_URL = "/notifications";
/** A curator's reply to an NPS answer, as the comment feed sends it. */
export const NPS_REPLY_EMAIL_TEMPLATE = "nps-reply";

/** How often a generated member opens the portal from a nudge they got. */
const CLICK_THROUGH = 0.22;

type Texts = { subjectEn: string; bodyEn: string; subjectRu: string; bodyRu: string };
type TemplateSeed = Texts & { id: string; name: string; reason: PlaybookTrigger };

const TEMPLATES: TemplateSeed[] = [
  {
    id: "demo-template-detractor-note",
    name: "Detractor: a personal note after a low score",
    reason: "BECAME_DETRACTOR",
    subjectEn: "I read your answer, {name}",
    bodyEn:
      "Hello {name},\n\nI read the score you gave {club} in our survey, and I would rather hear it from you than guess. What would make it a 9?\n\nIf something did not work for you (an unanswered question in the forum, a session that was not worth your time, the price), tell me in a line or two by replying here. I will call you in the next few days if you are happy to talk; if you would rather not, that is fine too.\n\nThank you for being honest with us.\nMarina, community curator",
    subjectRu: "{name}, я прочитала ваш ответ",
    bodyRu:
      "Здравствуйте, {name}!\n\nЯ прочитала, какую оценку вы поставили {club} в опросе, и хочу услышать причину от вас, а не гадать. Что должно измениться, чтобы вы поставили 9?\n\nЕсли что-то не сложилось — вопрос на форуме остался без ответа, встреча не стоила потраченного времени, не устраивает цена, — напишите пару строк в ответ. В ближайшие дни я позвоню, если вам удобно поговорить; если нет — ничего страшного.\n\nСпасибо за честный ответ.\nМарина, куратор клуба",
  },
  {
    id: "demo-template-detractor-check-in",
    name: "Detractor: a week later",
    reason: "BECAME_DETRACTOR",
    subjectEn: "Following up on your feedback",
    bodyEn:
      "Hello {name},\n\nA week ago you told us {club} is not quite what you hoped for. We have passed your points on to the team, and some of them are already on the roadmap, where you can vote on them as a {tier} member.\n\nIf there is anything we still have not heard, I am one reply away.\nMarina",
    subjectRu: "Возвращаюсь к вашему отзыву",
    bodyRu:
      "Здравствуйте, {name}!\n\nНеделю назад вы написали, что {club} пока не совсем то, чего вы ждали. Мы передали ваши замечания команде, часть из них уже в дорожной карте — как участник уровня {tier} вы можете за них голосовать.\n\nЕсли мы чего-то ещё не услышали, просто ответьте на это письмо.\nМарина",
  },
  {
    id: "demo-template-inactive-nudge",
    name: "Inactive: what you missed lately",
    reason: "INACTIVE",
    subjectEn: "{name}, here is what the club talked about lately",
    bodyEn:
      "Hello {name},\n\nWe have not seen you in {club} for a few weeks, so here is what you missed: members compared notes on zero-trust access for contractors, a thread on cutting cloud egress costs got forty replies, and the CTO shared what ships on the roadmap next quarter.\n\nThe next roundtable is open to every member, and your questions are welcome in the forum any time. It would be good to see you there.",
    subjectRu: "{name}, о чём говорили в клубе в последнее время",
    bodyRu:
      "Здравствуйте, {name}!\n\nВас не было в {club} несколько недель, поэтому коротко о главном: участники обсуждали доступ подрядчиков по модели нулевого доверия, в теме про снижение расходов на исходящий трафик набралось сорок ответов, а CTO рассказал, что выйдет по дорожной карте в следующем квартале.\n\nНа ближайший круглый стол приглашены все участники, а свои вопросы можно задать на форуме в любое время. Будем рады вас видеть.",
  },
  {
    id: "demo-template-inactive-second",
    name: "Inactive: a second note a week later",
    reason: "INACTIVE",
    subjectEn: "Is {club} still useful to you?",
    bodyEn:
      "Hello {name},\n\nJust checking in once more. If the forum is too busy to follow, you can get one weekly digest instead of every reply (Account, Notifications). If {club} is missing something you need as a {tier} member, reply and tell me: it goes straight to the people who can change it.",
    subjectRu: "{club} всё ещё вам полезен?",
    bodyRu:
      "Здравствуйте, {name}!\n\nПишу ещё раз, ненадолго. Если за форумом трудно уследить, можно получать одну еженедельную сводку вместо каждого ответа (Аккаунт, Уведомления). А если участнику уровня {tier} чего-то не хватает в {club}, ответьте на письмо: оно попадёт прямо к тем, кто может это изменить.",
  },
  {
    id: "demo-template-welcome-day-1",
    name: "Welcome: day 1",
    reason: "JOINED",
    subjectEn: "Welcome to {club}, {name}",
    bodyEn:
      "Hello {name},\n\nWelcome to {club}: we are glad you are here. Three things worth doing this week: read the pinned thread in the forum (how the club works and who is who), vote on the roadmap items that matter to you, and set which notifications you want on your account page.\n\nIf anything is unclear, reply to this message. A curator reads every one.",
    subjectRu: "Добро пожаловать в {club}, {name}",
    bodyRu:
      "Здравствуйте, {name}!\n\nДобро пожаловать в {club}, мы рады, что вы с нами. На этой неделе стоит сделать три вещи: прочитать закреплённую тему на форуме (как устроен клуб и кто есть кто), проголосовать за важные для вас пункты дорожной карты и выбрать, какие уведомления получать, на странице аккаунта.\n\nЕсли что-то непонятно, ответьте на это письмо — куратор читает каждое.",
  },
  {
    id: "demo-template-welcome-day-7",
    name: "Welcome: day 7, introduce yourself",
    reason: "JOINED",
    subjectEn: "Introduce yourself to the club",
    bodyEn:
      "Hello {name},\n\nYou have been with {club} for a week. The members who get the most out of it are the ones others know: post a few lines in the introductions thread (what you work on, what you would like to learn, what you could help others with). People here answer introductions, and several working groups started from one.",
    subjectRu: "Расскажите клубу о себе",
    bodyRu:
      "Здравствуйте, {name}!\n\nВы в {club} уже неделю. Больше всего пользы клуб приносит тем, кого здесь знают: напишите пару строк в теме знакомств — чем занимаетесь, чему хотели бы научиться, чем могли бы помочь другим. На представления здесь отвечают, а несколько рабочих групп выросли именно из них.",
  },
  {
    id: "demo-template-welcome-day-30",
    name: "Welcome: day 30, how is it going",
    reason: "JOINED",
    subjectEn: "A month in: how is it going?",
    bodyEn:
      "Hello {name},\n\nIt has been a month since you joined {club} as a {tier} member. How is it going? Have you found the people and the answers you came for?\n\nA line in reply helps us more than any survey: what has been useful, what has not, and what you would add.",
    subjectRu: "Месяц в клубе: как впечатления?",
    bodyRu:
      "Здравствуйте, {name}!\n\nПрошёл месяц с тех пор, как вы стали участником {club} уровня {tier}. Как впечатления? Удалось найти людей и ответы, ради которых вы пришли?\n\nПара строк в ответ поможет нам больше любого опроса: что было полезно, что нет и чего не хватает.",
  },
];

type StepSeed = { kind: PlaybookStepKind; days?: number; templateId?: string; taskNote?: string };
type PlaybookSeed = {
  id: string;
  name: string;
  trigger: PlaybookTrigger;
  triggerDays: number | null;
  holdOutPercent: number;
  exitOnReturn: boolean;
  exitOnSurvey: boolean;
  steps: StepSeed[];
};

const PLAYBOOKS: Record<keyof typeof FOLLOW_UP_IDS, PlaybookSeed> = {
  detractor: {
    id: FOLLOW_UP_IDS.detractor,
    name: "Detractor follow-up",
    trigger: "BECAME_DETRACTOR",
    triggerDays: null,
    holdOutPercent: 10,
    exitOnReturn: false,
    exitOnSurvey: true,
    steps: [
      { kind: "SEND", templateId: "demo-template-detractor-note" },
      { kind: "TASK", taskNote: "Call them within 3 days; their comment is on the at-risk list." },
      { kind: "WAIT", days: 7 },
      { kind: "SEND", templateId: "demo-template-detractor-check-in" },
    ],
  },
  inactive: {
    id: FOLLOW_UP_IDS.inactive,
    name: "21-day inactivity nudge",
    trigger: "INACTIVE",
    triggerDays: 21,
    // A fifth held out: the nudge reaches hundreds of members a year, so the control group is
    // large enough (30 or more) for the playbook page to give the difference and its interval.
    holdOutPercent: 20,
    exitOnReturn: true,
    exitOnSurvey: false,
    steps: [
      { kind: "SEND", templateId: "demo-template-inactive-nudge" },
      { kind: "WAIT", days: 7 },
      { kind: "SEND", templateId: "demo-template-inactive-second" },
    ],
  },
  // No hold-out: a welcome is part of what a new member was promised, not an experiment; and a
  // held-out run of a playbook without a return exit would stay open until the member left.
  welcome: {
    id: FOLLOW_UP_IDS.welcome,
    name: "Welcome sequence",
    trigger: "JOINED",
    triggerDays: 1,
    holdOutPercent: 0,
    exitOnReturn: false,
    exitOnSurvey: false,
    steps: [
      { kind: "SEND", templateId: "demo-template-welcome-day-1" },
      { kind: "WAIT", days: 6 },
      { kind: "SEND", templateId: "demo-template-welcome-day-7" },
      { kind: "WAIT", days: 23 },
      { kind: "SEND", templateId: "demo-template-welcome-day-30" },
    ],
  },
};

const SEGMENTS: Array<{ id: string; name: string; filter: (tiers: Map<string, string>) => SegmentFilter; daysAgo: number }> = [
  { id: "demo-segment-quiet-private", name: "Private clients quiet for 14+ days", filter: (t) => ({ tierIds: [t.get("private-client")!], inactiveDays: { min: 14 } }), daysAgo: 300 },
  { id: "demo-segment-detractors", name: "Detractors", filter: () => ({ npsGroups: ["DETRACTOR"] }), daysAgo: 290 },
  // Under 3 months: at most 2 whole months since first joining.
  { id: "demo-segment-new", name: "New members (under 3 months)", filter: () => ({ tenureMonths: { max: 2 } }), daysAgo: 200 },
  { id: "demo-segment-ru-professional", name: "Russian-speaking professionals", filter: (t) => ({ locale: "ru", tierIds: [t.get("professional")!] }), daysAgo: 120 },
];

/** A curator's reply to each detractor comment the history has (metrics.ts), in its language. */
const REPLIES: Record<string, string> = {
  "The roadmap votes did not change anything this quarter.":
    "Thank you for saying it plainly. You are right that two of the top-voted items slipped; the CTO will go through what moved and why at the next roundtable, and I have asked for a short written update on the roadmap page too.",
  "Too few answers to my questions lately.":
    "I am sorry your questions sat without answers. I have asked two members who work on exactly this to look at your thread, and from now on I check unanswered threads every Friday.",
  "Price went up, value did not.":
    "Fair point, and thank you for telling us. I have passed it to the owner; in the meantime, the quarterly roundtable recordings and the jobs board are part of your membership, and I am happy to show you where they are.",
  "Голосование по дорожной карте в этом квартале ничего не изменило.":
    "Спасибо, что сказали прямо. Вы правы: два пункта с наибольшим числом голосов сдвинулись. На ближайшем круглом столе CTO расскажет, что изменилось и почему, а я попросила выложить короткий отчёт и на странице дорожной карты.",
  "В последнее время мало ответов на мои вопросы.":
    "Простите, что ваши вопросы остались без ответа. Я попросила двух участников, которые как раз этим занимаются, посмотреть вашу тему, и теперь каждую пятницу проверяю темы без ответов.",
  "Цена выросла, а ценность нет.":
    "Справедливое замечание, спасибо, что написали. Я передала его владелице клуба. А пока напомню: записи ежеквартальных круглых столов и доска вакансий входят в ваше членство — с удовольствием покажу, где их найти.",
};

const hashId = (prefix: string, key: string) => `${prefix}${createHash("sha1").update(key).digest("hex").slice(0, 20)}`;
const iso = (ms: number) => new Date(ms).toISOString();

type Interval = { start: number; end: number | null };
type Exit = { at: number; reason: PlaybookExit };

export async function seedFollowUps(now = new Date()) {
  if (await db.playbook.count({ where: { id: { in: Object.values(FOLLOW_UP_IDS) } } })) return;
  const nowMs = now.getTime();
  const settings = await getClubSettings();
  const club = settings.name;
  const [owner, curator] = await Promise.all([
    db.user.findUnique({ where: { email: "owner@coterie.club" }, select: { id: true } }),
    db.user.findUnique({ where: { email: "curator@coterie.club" }, select: { id: true } }),
  ]);
  if (!owner || !curator) return;
  const tierRows = await db.tier.findMany();
  const tiers = new Map(tierRows.map((t) => [t.slug, t.id]));
  const tierNames = new Map(tierRows.map((t) => [t.id, { en: t.nameEn, ru: t.nameRu }]));

  // The owner set the follow-ups up about a year ago: templates first, then the playbooks.
  const createdMs = nowMs - 365 * DAY;
  const templateAt = (i: number) => new Date(createdMs - 3 * HOUR + i * 10 * 60_000);
  const playbookAt = Object.fromEntries(Object.keys(PLAYBOOKS).map((key, i) => [key, createdMs - HOUR + i * 10 * 60_000])) as Record<keyof typeof PLAYBOOKS, number>;

  // 1. Who was a member when, what they did, what they answered.
  const users = await db.user.findMany({
    where: { role: "MEMBER" },
    select: {
      id: true,
      name: true,
      email: true,
      locale: true,
      deactivatedAt: true,
      erasedAt: true,
      subscriptions: { where: { status: { not: "INCOMPLETE" } }, select: { tierId: true, status: true, startedAt: true, endedAt: true, updatedAt: true }, orderBy: { startedAt: "asc" } },
    },
    orderBy: { id: "asc" },
  });
  const links = new Map((await db.telegramLink.findMany({ select: { userId: true, chatId: true, linkedAt: true } })).map((l) => [l.userId, l]));
  const turnedOff = await db.notificationPreference.findMany({ where: { kind: "FOLLOW_UP", enabled: false }, select: { userId: true, channel: true } });
  // Each member's activity in time order; answering the survey is activity too, but not a return.
  const events = new Map<string, Array<{ at: number; survey: boolean }>>();
  for (const row of await db.activityEvent.findMany({ select: { userId: true, occurredAt: true, kind: true }, orderBy: [{ userId: "asc" }, { occurredAt: "asc" }] })) {
    const list = events.get(row.userId) ?? [];
    list.push({ at: row.occurredAt.getTime(), survey: row.kind === "SURVEY" });
    events.set(row.userId, list);
  }
  const answers = await db.npsResponse.findMany({ where: { score: { not: null } }, select: { id: true, userId: true, score: true, comment: true, createdAt: true }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });

  type Person = (typeof users)[number] & {
    telegramLink: { chatId: bigint; linkedAt: Date } | null;
    off: Set<string>;
    intervals: Interval[]; joined: number; spans: Array<{ tierId: string; start: number; end: number | null }> };
  const people: Person[] = [];
  for (const user of users) {
    // Deactivated or erased members never enter (nor does anyone without a membership).
    if (!user.subscriptions.length || user.deactivatedAt || user.erasedAt) continue;
    // A membership's end as the at-risk list reads it (app/metrics/spans.server.ts).
    const spans = user.subscriptions.map((s) => ({
      tierId: s.tierId,
      start: s.startedAt.getTime(),
      end: s.endedAt?.getTime() ?? (s.status === "CANCELED" || s.status === "UNPAID" ? s.updatedAt.getTime() : null),
    }));
    const intervals: Interval[] = [];
    for (const span of spans) {
      const last = intervals.at(-1);
      if (last && last.end !== null && span.start <= last.end) last.end = span.end === null ? null : Math.max(last.end, span.end);
      else if (last && last.end === null) continue;
      else intervals.push({ start: span.start, end: span.end });
    }
    const off = new Set(turnedOff.filter((n) => n.userId === user.id).map((n) => n.channel as string));
    people.push({ ...user, telegramLink: links.get(user.id) ?? null, off, spans, intervals, joined: spans[0].start });
  }
  const byId = new Map(people.map((p) => [p.id, p]));
  /** The end of the membership `at` lies in (Infinity if it has not ended), or null when `at` is outside every membership. */
  const membershipEnd = (p: Person, at: number) => {
    const interval = p.intervals.find((i) => i.start < at && (i.end === null || i.end >= at));
    return interval ? (interval.end ?? Infinity) : null;
  };
  const tierAt = (p: Person, at: number) => {
    const span = [...p.spans].reverse().find((s) => s.start <= at && (s.end === null || s.end > at)) ?? p.spans[0];
    return tierNames.get(span.tierId) ?? { en: "", ru: "" };
  };

  // 2. What the runs wrote.
  const runs: Prisma.PlaybookRunCreateManyInput[] = [];
  const runSteps: Prisma.PlaybookRunStepCreateManyInput[] = [];
  const tasks: Prisma.CuratorTaskCreateManyInput[] = [];
  const notifications: Prisma.NotificationCreateManyInput[] = [];
  const emails: Prisma.EmailCreateManyInput[] = [];
  const telegram: Prisma.TelegramMessageCreateManyInput[] = [];
  const visits: Prisma.ActivityEventCreateManyInput[] = [];
  const audits: Prisma.AuditEntryCreateManyInput[] = [];
  const replies: Prisma.NpsReplyCreateManyInput[] = [];
  const templates = new Map(TEMPLATES.map((t) => [t.id, t]));
  const deliveryRand = random(20261210);
  const soon = (at: number, lo: number, hi: number) => {
    const later = at + lo + deliveryRand() * (hi - lo);
    // Never at or after the seed's now (the demo-club test): halfway there at most.
    return Math.min(later, at + (nowMs - at) / 2);
  };

  /** One FOLLOW_UP on the member's channels, as notify() writes it; returns the per-channel counts. */
  const send = (p: Person, key: string, at: number, notice: Notice & { kind: "FOLLOW_UP" }) => {
    const { off } = p;
    const channels = { IN_APP: 0, EMAIL: 0, TELEGRAM: 0 };
    if (!off.has("IN_APP")) {
      channels.IN_APP = 1;
      notifications.push({ id: `${key}-n`, userId: p.id, kind: "FOLLOW_UP", values: notice.values as unknown as Prisma.InputJsonValue, url: notice.url, createdAt: new Date(at), readAt: new Date(soon(at, 2 * HOUR, 3 * DAY)) });
    }
    if (!off.has("EMAIL")) {
      channels.EMAIL = 1;
      const email = emailFor(p.locale, notice);
      const { text, html } = emailBodies({ ...email, locale: p.locale }, club);
      emails.push({
        id: `${key}-e`,
        to: p.email,
        userId: p.id,
        template: email.template,
        locale: p.locale,
        subject: email.subject,
        text,
        html,
        status: "SENT",
        attempts: 1,
        createdAt: new Date(at),
        sentAt: new Date(soon(at, 2_000, 40_000)),
      });
    }
    if (!off.has("TELEGRAM") && p.telegramLink && p.telegramLink.linkedAt.getTime() <= at) {
      channels.TELEGRAM = 1;
      const { text, buttons } = telegramFor(p.locale, notice);
      const message = composeMessage(text, buttons);
      const sentAt = new Date(soon(at, 1_000, 20_000));
      telegram.push({
        id: `${key}-t`,
        userId: p.id,
        chatId: p.telegramLink.chatId,
        purpose: "FOLLOW_UP",
        text: message.text,
        replyMarkup: (message.replyMarkup ?? undefined) as Prisma.InputJsonValue | undefined,
        status: "SENT",
        attempts: 1,
        nextAttemptAt: new Date(at),
        sentAt,
        createdAt: new Date(at),
      });
    }
    return channels;
  };

  const playbookNotice = (p: Person, templateId: string, at: number): Notice & { kind: "FOLLOW_UP" } => {
    const template = templates.get(templateId)!;
    const tier = tierAt(p, at);
    const values = (locale: Locale) => ({ name: p.name, tier: tier[locale], club });
    return {
      kind: "FOLLOW_UP",
      values: {
        club,
        template: PLAYBOOK_EMAIL_TEMPLATE,
        texts: {
          en: { subject: fillPlaceholders(template.subjectEn, values("en")), body: fillPlaceholders(template.bodyEn, values("en")) },
          ru: { subject: fillPlaceholders(template.subjectRu, values("ru")), body: fillPlaceholders(template.bodyRu, values("ru")) },
        },
      },
      url: FOLLOW_UP_URL,
    };
  };

  /**
   * One run, step by step as the scheduler does it (app/playbooks/scheduler.server.ts, one tick
   * a minute): at each step's due time an exit that came first ends the run; a step due at or
   * after `now` leaves it open with `nextAt` then. A SEND or TASK makes the next step due at the
   * next tick, a WAIT `days` later; after the last step the run is COMPLETED. A held-out run
   * walks the same schedule without any effect and without PlaybookRunStep rows. `exits` are the
   * known exits; `afterSend` and `afterTask` may add one (a visit the message led to, staff
   * closing the run after the call).
   */
  const run = (
    playbook: PlaybookSeed,
    p: Person,
    occurrence: string,
    enteredAt: number,
    heldOut: boolean,
    exits: Exit[],
    hooks: { afterSend?: (at: number) => Exit | null; afterTask?: (doneAt: number) => Exit | null } = {},
  ) => {
    const id = hashId("demo-run-", `${playbook.id}|${occurrence}`);
    const pending = exits.filter((e) => e.at > enteredAt || e.reason === "LEFT").sort((a, b) => a.at - b.at);
    const add = (exit: Exit | null | undefined) => {
      if (!exit) return;
      pending.push(exit);
      pending.sort((a, b) => a.at - b.at);
    };
    const record = { id, playbookId: playbook.id, version: 1, userId: p.id, occurrence, heldOut, enteredAt: new Date(enteredAt) };
    const finish = (nextStep: number, exit: Exit | null, nextAt: number | null) => {
      const closed = exit?.reason === "CLOSED_BY_STAFF";
      runs.push({ ...record, nextStep, nextAt: nextAt === null ? null : new Date(nextAt), exitedAt: exit ? new Date(exit.at) : null, exitReason: exit?.reason ?? null, closedById: closed ? curator.id : null });
      if (closed) {
        audits.push({ at: new Date(exit.at), actorId: curator.id, action: "playbook.run-close", subjectType: "PlaybookRun", subjectId: id, before: { playbookId: playbook.id, nextStep }, after: { exitReason: "CLOSED_BY_STAFF" } });
      }
    };
    let due = enteredAt;
    for (const [position, step] of playbook.steps.entries()) {
      const exit = pending.find((e) => e.at <= due);
      if (exit) return finish(position, { at: Math.max(exit.at, enteredAt), reason: exit.reason }, null);
      if (due >= nowMs) return finish(position, null, due);
      const last = position === playbook.steps.length - 1;
      if (step.kind === "WAIT") {
        if (!heldOut) runSteps.push({ runId: id, position, kind: "WAIT", doneAt: new Date(due) });
        due += step.days! * DAY;
        continue;
      }
      if (!heldOut && step.kind === "SEND") {
        const channels = send(p, `${id}-${position}`, due, playbookNotice(p, step.templateId!, due));
        runSteps.push({ runId: id, position, kind: "SEND", doneAt: new Date(due), templateId: step.templateId!, channels });
        add(hooks.afterSend?.(due));
      } else if (!heldOut) {
        const taskId = `${id}-task`;
        tasks.push({ id: taskId, memberId: p.id, runId: id, note: step.taskNote!, assigneeId: null, createdAt: new Date(due) });
        runSteps.push({ runId: id, position, kind: "TASK", doneAt: new Date(due), taskId });
        add(hooks.afterTask?.(due));
      }
      if (last) return finish(position + 1, { at: due, reason: "COMPLETED" }, null);
      due += TICK;
    }
    // A playbook ending with a WAIT completes at the tick its wait is over.
    const exit = pending.find((e) => e.at <= due);
    if (exit) return finish(playbook.steps.length, { at: Math.max(exit.at, enteredAt), reason: exit.reason }, null);
    if (due >= nowMs) return finish(playbook.steps.length, null, due);
    finish(playbook.steps.length, { at: due, reason: "COMPLETED" }, null);
  };

  // 3a. Detractors: every scored answer of 0–6 since the playbook was made.
  const detractorRand = random(20261206);
  const closeRand = random(20261207);
  const detractorAnswers = new Map<string, (typeof answers)[number]>();
  for (const answer of answers) {
    const at = answer.createdAt.getTime();
    const p = byId.get(answer.userId);
    if (!p || answer.score === null || answer.score > 6 || at <= playbookAt.detractor || at >= nowMs) continue;
    const end = membershipEnd(p, at);
    if (end === null) continue;
    const exits: Exit[] = [];
    const next = answers.find((a) => a.userId === p.id && a.createdAt.getTime() > at);
    if (next) exits.push({ at: next.createdAt.getTime(), reason: "ANSWERED_SURVEY" });
    if (end !== Infinity) exits.push({ at: end, reason: "LEFT" });
    detractorAnswers.set(answer.id, answer);
    run(PLAYBOOKS.detractor, p, `nps:${answer.id}`, at, detractorRand() < PLAYBOOKS.detractor.holdOutPercent / 100, exits, {
      // After the call, a curator sometimes closes the run: the member's point is settled.
      afterTask: (at) => {
        const closedAt = at + (1 + closeRand() * 2) * DAY;
        return closeRand() < 0.15 && closedAt < nowMs ? { at: closedAt, reason: "CLOSED_BY_STAFF" } : null;
      },
    });
  }

  // 3b. Inactivity: every spell of 21+ days without activity (quiet since the last activity, or
  // since joining) while a member, entered when it reached 21 days (or when the playbook was
  // made, if the member was quiet by then). The run ends when they come back: activity other
  // than answering the survey, as the scheduler counts it.
  const inactiveRand = random(20261208);
  const clickRand = random(20261209);
  const quietDays = PLAYBOOKS.inactive.triggerDays! * DAY;
  for (const p of people) {
    const list = [...(events.get(p.id) ?? [])];
    const generated = p.id.startsWith(HISTORY_ID_PREFIX);
    let quietSince = p.joined;
    let index = list.findIndex((e) => e.at > quietSince);
    if (index < 0) index = list.length;
    for (;;) {
      const next = index < list.length ? list[index].at : Infinity;
      const enteredAt = Math.max(quietSince + quietDays, playbookAt.inactive);
      const end = enteredAt < nowMs ? membershipEnd(p, enteredAt) : null;
      if (enteredAt < next && end !== null) {
        const back = list.slice(index).find((e) => !e.survey && e.at > enteredAt)?.at ?? Infinity;
        const exits: Exit[] = [];
        if (back !== Infinity) exits.push({ at: back, reason: "CAME_BACK" });
        if (end !== Infinity) exits.push({ at: end, reason: "LEFT" });
        run(PLAYBOOKS.inactive, p, `inactive:${p.id}:${iso(quietSince)}`, enteredAt, inactiveRand() < PLAYBOOKS.inactive.holdOutPercent / 100, exits, {
          afterSend: (at) => {
            if (!generated || clickRand() >= CLICK_THROUGH) return null;
            const visit = Math.round(at + (1 + clickRand() * 71) * HOUR);
            if (visit >= back || visit >= nowMs || visit >= end) return null;
            // The visit is activity like any other: it ends this quiet spell (and the run).
            const position = list.findIndex((e, i) => i >= index && e.at > visit);
            list.splice(position < 0 ? list.length : position, 0, { at: visit, survey: false });
            visits.push({ userId: p.id, kind: "VISIT", occurredAt: new Date(visit) });
            return { at: visit, reason: "CAME_BACK" };
          },
        });
      }
      if (index >= list.length) break;
      quietSince = list[index].at;
      index += 1;
    }
  }

  // 3c. Welcome: every member who joined since (or within the scheduler's week before) the playbook was made.
  const welcomeRand = random(20261211);
  const welcomeDays = PLAYBOOKS.welcome.triggerDays! * DAY;
  for (const p of people) {
    if (p.joined < playbookAt.welcome - welcomeDays - 7 * DAY) continue;
    const enteredAt = Math.max(p.joined + welcomeDays, playbookAt.welcome);
    const end = enteredAt < nowMs ? membershipEnd(p, enteredAt) : null;
    if (end === null) continue;
    run(PLAYBOOKS.welcome, p, `joined:${p.id}:${iso(p.joined)}`, enteredAt, welcomeRand() < PLAYBOOKS.welcome.holdOutPercent / 100, end === Infinity ? [] : [{ at: end, reason: "LEFT" }]);
  }

  // 4. The curator works through the tasks a day or two later; the latest few are still open.
  const taskRand = random(20261212);
  const replyRand = random(20261213);
  const ordered = [...tasks].sort((a, b) => (a.createdAt as Date).getTime() - (b.createdAt as Date).getTime());
  const open = new Set(ordered.slice(-4).map((t) => t.id));
  for (const task of ordered) {
    const created = (task.createdAt as Date).getTime();
    const done = created + (0.5 + taskRand() * 1.5) * DAY;
    if (open.has(task.id) || done >= nowMs) continue;
    task.doneAt = new Date(done);
    task.doneById = curator.id;
    audits.push({ at: task.doneAt, actorId: curator.id, action: "task.done", subjectType: "CuratorTask", subjectId: task.id, before: { doneAt: null }, after: { done: true } });
    // After the call, a written reply to the comment, for some.
    const runRow = runs.find((r) => r.id === task.runId);
    const answer = runRow ? detractorAnswers.get(runRow.occurrence.slice("nps:".length)) : undefined;
    const body = answer?.comment ? REPLIES[answer.comment] : undefined;
    if (!answer || !body || replyRand() >= 0.5) continue;
    const p = byId.get(answer.userId)!;
    const at = done + (10 + replyRand() * 50) * 60_000;
    if (at >= nowMs) continue;
    const replyId = hashId("demo-nps-reply-", answer.id);
    replies.push({ id: replyId, responseId: answer.id, staffId: curator.id, body, createdAt: new Date(at) });
    send(p, replyId, at, {
      kind: "FOLLOW_UP",
      // As the comment feed sends it (app/touches/nps-feed.server.ts): in the member's language only.
      values: { club, template: NPS_REPLY_EMAIL_TEMPLATE, texts: { [p.locale]: { subject: translator(p.locale)("touches.reply.subject", { club }), body } } },
      url: FOLLOW_UP_URL,
    });
    audits.push({ at: new Date(at), actorId: curator.id, action: "nps.reply", subjectType: "NpsResponse", subjectId: answer.id, after: { replyId } });
  }

  // 5. Segments, templates and playbooks as the owner saved them (the audit log's first rows of them).
  const segments = SEGMENTS.map((s, i) => {
    const filter = segmentFilterSchema.parse(s.filter(tiers));
    const at = new Date(nowMs - s.daysAgo * DAY + i * HOUR);
    audits.push({ at, actorId: owner.id, action: "segment.save", subjectType: "Segment", subjectId: s.id, after: { filter } as Prisma.InputJsonValue });
    return { id: s.id, name: s.name, filter: filter as Prisma.InputJsonValue, createdById: owner.id, createdAt: at, updatedAt: at };
  });
  TEMPLATES.forEach((t, i) => audits.push({ at: templateAt(i), actorId: owner.id, action: "template.save", subjectType: "FollowUpTemplate", subjectId: t.id, after: { reason: t.reason } }));
  const playbooks = (Object.keys(PLAYBOOKS) as Array<keyof typeof PLAYBOOKS>).map((key) => {
    const pb = PLAYBOOKS[key];
    const at = new Date(playbookAt[key]);
    audits.push({
      at,
      actorId: owner.id,
      action: "playbook.save",
      subjectType: "Playbook",
      subjectId: pb.id,
      after: { trigger: pb.trigger, triggerDays: pb.triggerDays, holdOutPercent: pb.holdOutPercent, version: 1, steps: pb.steps.length } as Prisma.InputJsonValue,
    });
    return {
      id: pb.id,
      name: pb.name,
      trigger: pb.trigger,
      triggerDays: pb.triggerDays,
      holdOutPercent: pb.holdOutPercent,
      exitOnReturn: pb.exitOnReturn,
      exitOnSurvey: pb.exitOnSurvey,
      exitOnPayment: false,
      version: 1,
      createdById: owner.id,
      // Runs enter at this instant at the earliest.
      createdAt: at,
      updatedAt: at,
    };
  });

  const chunks = async <T>(rows: T[], write: (data: T[]) => Promise<unknown>) => {
    for (let i = 0; i < rows.length; i += 2_000) await write(rows.slice(i, i + 2_000));
  };
  await db.$transaction(
    async (tx) => {
      await tx.segment.createMany({ data: segments });
      await tx.followUpTemplate.createMany({
        data: TEMPLATES.map((t, i) => ({ id: t.id, name: t.name, reason: t.reason, subjectEn: t.subjectEn, bodyEn: t.bodyEn, subjectRu: t.subjectRu, bodyRu: t.bodyRu, createdById: owner.id, createdAt: templateAt(i), updatedAt: templateAt(i) })),
      });
      await tx.playbook.createMany({ data: playbooks });
      await tx.playbookStep.createMany({
        data: Object.values(PLAYBOOKS).flatMap((pb) =>
          pb.steps.map((s, position) => ({ id: `${pb.id}-v1-${position}`, playbookId: pb.id, version: 1, position, kind: s.kind, days: s.days ?? null, templateId: s.templateId ?? null, taskNote: s.taskNote ?? null })),
        ),
      });
      await chunks(runs, (data) => tx.playbookRun.createMany({ data }));
      await chunks(runSteps, (data) => tx.playbookRunStep.createMany({ data }));
      await chunks(tasks, (data) => tx.curatorTask.createMany({ data }));
      await tx.npsReply.createMany({ data: replies });
      await chunks(notifications, (data) => tx.notification.createMany({ data }));
      await chunks(emails, (data) => tx.email.createMany({ data }));
      await tx.telegramMessage.createMany({ data: telegram });
      // Through the usual insert: the database keeps MemberActivity and the monthly rollup in step.
      await chunks(visits, (data) => tx.activityEvent.createMany({ data }));
      await tx.auditEntry.createMany({ data: [...audits].sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime()) });
    },
    { timeout: 120_000 },
  );
}
