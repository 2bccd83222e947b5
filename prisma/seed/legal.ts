import { db } from "../../app/db.server";
import { clubFoundedAt } from "./foundation";

/** Version 1 of the club's rules, in English and Russian (Markdown). */
export const RULES_V1 = {
  en: `# Who we are
The Northwind Inner Circle is a private club for Northwind Cloud's clients. Membership is personal and by invitation or application; it cannot be passed on.

# What stays in the club
- What members share in the forum, at events and in the club's chats stays in the club. Do not quote a member outside it without their permission.
- Job openings, roadmap discussions and previews of the product are confidential until Northwind Cloud announces them.

# How we treat one another
- Use your real name and say who you work for.
- Disagree with ideas, never with people. No harassment, no personal attacks, no discrimination of any kind.
- No selling: a member may mention their company's product where it answers a question, and nowhere else.
- Report a post that breaks these rules with the "Report" link; the curators read every report.

# Membership
- A membership is paid per month or per year, by tier. A payment that fails is retried; access continues during the grace period the club sets.
- The curators may hide a post that breaks these rules. A member who breaks them repeatedly, or leaks what is confidential, may lose their membership; the owner decides and explains the decision.

# Changes
The club publishes any change to these rules as a new version. The version you accepted is recorded with your application or invitation.`,
  ru: `# Кто мы
Northwind Inner Circle — закрытый клуб клиентов Northwind Cloud. Членство личное, по приглашению или по заявке; передать его другому нельзя.

# Что остаётся в клубе
- То, чем участники делятся на форуме, на встречах и в чатах клуба, остаётся в клубе. Не цитируйте участника за его пределами без его согласия.
- Вакансии, обсуждения дорожной карты и предварительные версии продукта конфиденциальны, пока Northwind Cloud не объявит о них сама.

# Как мы общаемся
- Выступайте под своим настоящим именем и указывайте, где работаете.
- Спорьте с идеями, а не с людьми. Никаких оскорблений, травли и дискриминации.
- Никаких продаж: о продукте своей компании можно упомянуть, только если он отвечает на заданный вопрос.
- О сообщении, нарушающем правила, сообщите по ссылке «Пожаловаться»; кураторы читают каждую жалобу.

# Членство
- Членство оплачивается помесячно или за год, в зависимости от уровня. Неудавшийся платёж повторяется; доступ сохраняется на время отсрочки, которую устанавливает клуб.
- Кураторы могут скрыть сообщение, нарушающее правила. Участник, который нарушает их неоднократно или раскрывает конфиденциальное, может лишиться членства; решение принимает владелец и объясняет его.

# Изменения
Любое изменение правил клуб публикует новой версией. Версия, которую вы приняли, записывается вместе с вашей заявкой или приглашением.`,
};

/** Version 1 of the privacy notice (152-FZ and GDPR), in English and Russian (Markdown). */
export const PRIVACY_V1 = {
  en: `# Who holds your data
Northwind Cloud runs the Northwind Inner Circle and is the operator (controller) of the personal data the club holds, under Russian Federal Law No. 152-FZ "On Personal Data" and the EU General Data Protection Regulation.

# What we store, and why
- **Your application**: name, email, company, role and your answers, to review it and to write to you about it.
- **Your account**: name, email, company, role, language, password (hashed, never readable), sessions and devices you signed in from, to let you in and keep the account safe.
- **Your membership and payments**: tier, periods, invoices and refunds, to bill you and because accounting law requires it. Card details stay with our payment processor (Stripe); we never see them.
- **What you do in the club**: posts, votes, survey answers and event replies, to run the club and to improve it. Telegram account, if you link it, to let you into the club's chats.
- **Consent**: which version of the rules and of this notice you accepted, and when.

# How long
Applications that are not accepted are kept for 12 months. Your account data is kept while you are a member; payment records as long as accounting law requires (in Russia, five years).

# Your rights
You can download everything the club holds about you, and delete your account, from your account page. Deleting it erases your personal data; your posts stay as "former member" where a thread needs them, and payment records keep only what accounting law requires, without your name. Questions: privacy@northwind.example.`,
  ru: `# Кто обрабатывает ваши данные
Northwind Inner Circle управляет компания Northwind Cloud. Она — оператор персональных данных, которые хранит клуб, в смысле Федерального закона № 152-ФЗ «О персональных данных» и Общего регламента ЕС по защите данных (GDPR).

# Что мы храним и зачем
- **Заявка**: имя, электронная почта, компания, должность и ваши ответы — чтобы рассмотреть заявку и переписываться с вами о ней.
- **Профиль**: имя, почта, компания, должность, язык, пароль (в виде хеша, прочитать его нельзя), сеансы и устройства, с которых вы входили, — чтобы впускать вас и беречь профиль.
- **Членство и платежи**: уровень, периоды, счета и возвраты — чтобы выставлять счета и потому что этого требует закон о бухгалтерском учёте. Данные карты хранит платёжный сервис (Stripe); мы их не видим.
- **Ваши действия в клубе**: сообщения, голоса, ответы на опросы и на приглашения на встречи — чтобы клуб работал и становился лучше. Аккаунт Telegram, если вы его привяжете, — чтобы пускать вас в чаты клуба.
- **Согласие**: какую версию правил и этого уведомления вы приняли и когда.

# Как долго
Непринятые заявки хранятся 12 месяцев. Данные профиля — пока вы участник клуба; платёжные записи — столько, сколько требует закон о бухгалтерском учёте (в России пять лет).

# Ваши права
На странице профиля можно скачать всё, что клуб о вас хранит, и удалить профиль. При удалении ваши персональные данные стираются; сообщения остаются от имени «бывшего участника», где без них непонятна ветка, а в платёжных записях остаётся только то, что требует закон, без вашего имени. Вопросы: privacy@northwind.example.`,
};

/**
 * The club's rules and privacy notice, version 1 of each, published by the owner the day the
 * club opened. Re-runnable: a version that exists is left as it is.
 */
export async function seedLegalTexts(now = new Date()) {
  const owner = await db.user.findFirst({ where: { role: "OWNER" }, orderBy: { createdAt: "asc" }, select: { id: true } });
  const publishedAt = clubFoundedAt(now);
  for (const [kind, body] of [["RULES", RULES_V1], ["PRIVACY", PRIVACY_V1]] as const) {
    await db.legalDocument.upsert({
      where: { kind_version: { kind, version: 1 } },
      update: {},
      create: { id: `legal-${kind.toLowerCase()}-1`, kind, version: 1, bodyEn: body.en, bodyRu: body.ru, publishedAt, publishedById: owner?.id ?? null },
    });
  }
}
