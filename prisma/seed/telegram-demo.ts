/**
 * The demo's Telegram: its chat and linked members. Data only (no app imports), so that
 * scripts/start.ts can give it to the Bot API stand-in before the database exists.
 */
export const DEMO_TELEGRAM = {
  chat: { id: -1001987654321, title: "Private Clients Lounge", type: "supergroup" as const },
  members: [
    { email: "sarah.chen@example.com", telegramUserId: 610000001, username: "sarah_chen", firstName: "Sarah" },
    { email: "irina.petrova@example.com", telegramUserId: 610000002, username: "irina_petrova", firstName: "Ирина" },
  ],
  removed: { email: "nikita.smirnov@example.com" },
};
