/** A member's own data: the JSON export and account deletion (/account/data). */
export const en = {
  "privacy.account.title": "Your data",
  "privacy.account.intro": "Download everything the club holds about you, or delete your account.",
  "privacy.account.manage": "Export or delete your data",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "privacy.account.title": "Ваши данные",
  "privacy.account.intro": "Скачайте всё, что клуб хранит о вас, или удалите аккаунт.",
  "privacy.account.manage": "Выгрузить или удалить данные",
};
