import * as admission from "./locales/admission";
import * as audit from "./locales/audit";
import * as billing from "./locales/billing";
import * as club from "./locales/club";
import * as common from "./locales/common";
import * as forum from "./locales/forum";
import * as metrics from "./locales/metrics";
import * as notifications from "./locales/notifications";
import * as privacy from "./locales/privacy";
import * as playbooks from "./locales/playbooks";
import * as roadmap from "./locales/roadmap";
import * as segments from "./locales/segments";
import * as telegram from "./locales/telegram";
import * as touches from "./locales/touches";
import * as twoFactor from "./locales/two-factor";

export const LOCALES = ["en", "ru"] as const;
export type Locale = (typeof LOCALES)[number];

// One dictionary per area; Russian must have every English key (the types check it).
const en = { ...common.en, ...admission.en, ...billing.en, ...forum.en, ...roadmap.en, ...metrics.en, ...notifications.en, ...telegram.en, ...twoFactor.en, ...audit.en, ...club.en, ...privacy.en, ...segments.en, ...playbooks.en, ...touches.en };
const ru: Record<keyof typeof en, string> = {
  ...common.ru,
  ...admission.ru,
  ...billing.ru,
  ...forum.ru,
  ...roadmap.ru,
  ...metrics.ru,
  ...notifications.ru,
  ...telegram.ru,
  ...twoFactor.ru,
  ...audit.ru,
  ...club.ru,
  ...privacy.ru,
  ...segments.ru,
  ...playbooks.ru,
  ...touches.ru,
};

export type MessageKey = keyof typeof en;

export const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, ru };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}

export type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

// `{count, plural, one {# member} other {# members}}`: the form for the number's plural category
// in the language (Intl.PluralRules: en has one/other; ru one/few/many/other), `#` the number.
const PLURAL = /\{(\w+), plural,((?:\s*(?:zero|one|two|few|many|other)\s*\{[^{}]*\})+)\s*\}/g;
const PLURAL_FORM = /(zero|one|two|few|many|other)\s*\{([^{}]*)\}/g;
const pluralRules = new Map<Locale, Intl.PluralRules>();

/** The plural category of `count` in `locale` ("one", "few", "many", "other"…). */
export function pluralCategory(locale: Locale, count: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(count);
}

function withPlurals(locale: Locale, template: string, values: Record<string, string | number>): string {
  return template.replace(PLURAL, (match, name: string, body: string) => {
    const count = Number(values[name]);
    if (!(name in values) || !Number.isFinite(count)) return match;
    const forms = new Map([...body.matchAll(PLURAL_FORM)].map(([, category, text]) => [category, text]));
    const form = forms.get(pluralCategory(locale, count)) ?? forms.get("other") ?? "";
    return form.replace(/#/g, String(values[name]));
  });
}

/**
 * A translator for one locale. `{name}` placeholders are filled from `values`, and
 * `{count, plural, one {…} few {…} many {…} other {…}}` takes the form the number needs (see
 * PLURAL). A value that ends a sentence with its own full stop (a Russian date,
 * «2 декабря 2026 г.») takes the template's full stop after it: never «г..».
 */
export function translator(locale: Locale): Translate {
  const dictionary = dictionaries[locale];
  return (key, values) => {
    const template = dictionary[key] ?? dictionaries.en[key] ?? key;
    if (!values) return template;
    return withPlurals(locale, template, values).replace(/\{(\w+)\}(\.?)/g, (match, name: string, stop: string) => {
      if (!(name in values)) return match;
      const value = String(values[name]);
      return stop && value.endsWith(".") ? value : value + stop;
    });
  };
}
