import * as common from "./locales/common";

export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

// Each area adds its dictionary here: `import * as forum from "./locales/forum"`
// and spreads `forum.en` / `forum.ru` below. Russian must have every English key.
const en = { ...common.en };
const ru: Record<keyof typeof en, string> = { ...common.ru };

export type MessageKey = keyof typeof en;

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, ru };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

/** A translator for one locale. `{name}` placeholders are filled from `values`. */
export function translator(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, values) => {
    const template = dictionary[key] ?? dictionaries.en[key] ?? key;
    if (!values) return template;
    return template.replace(/\{(\w+)\}/g, (match, name: string) =>
      name in values ? String(values[name]) : match,
    );
  };
}
