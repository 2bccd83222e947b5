/** Two-factor sign-in (TOTP and recovery codes): /account/two-factor, the sign-in's second step. */
export const en = {
  "twoFactor.account.title": "Two-factor authentication",
  "twoFactor.account.intro": "Ask for a code from an authenticator app after your password, so a stolen password alone cannot open your account.",
  "twoFactor.account.manage": "Manage two-factor authentication",
} as const;

export const ru: Record<keyof typeof en, string> = {
  "twoFactor.account.title": "Двухфакторная аутентификация",
  "twoFactor.account.intro": "После пароля спрашивать код из приложения-аутентификатора: одного украденного пароля не хватит, чтобы войти в ваш аккаунт.",
  "twoFactor.account.manage": "Настроить двухфакторную аутентификацию",
};
