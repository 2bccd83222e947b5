import type { Locale } from "../../app/generated/prisma/client";

/**
 * Who the demo club's generated members are: where they work and what they do, and the
 * work address such a person has. Addresses are made from the name the way companies make
 * them (anna.sokolova@, asokolova@, a.sokolova@, anna@…) at the employer's domain, never
 * with a number: when a form is taken at one company, the next form is used, and when all
 * are, the person works somewhere else. Deterministic for a given order of calls.
 */

const LATIN: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y", к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r",
  с: "s", т: "t", у: "u", ф: "f", х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
};
/** Cyrillic to the Latin letters Russian companies use in addresses (Семёнов → semenov). */
export const latin = (text: string) =>
  [...text.toLowerCase()]
    .map((c) => LATIN[c] ?? c)
    .join("")
    .replace(/[^a-z]/g, "");

export type Company = { name: string; domain: string };

const company = (name: string, domain: string): Company => ({ name, domain: `${domain}.example` });

/** Employers of the club's members: Russian ones for Russian speakers, international ones for the rest. */
export const COMPANIES: Record<Locale, Company[]> = {
  ru: [
    company("Северсталь Диджитал", "severstal-digital"),
    company("Ладога Софт", "ladogasoft"),
    company("Уралтехбанк", "uraltechbank"),
    company("Волга Телеком", "volgatelecom"),
    company("Балтийские Системы", "balticsystems"),
    company("Сибирь Облако", "sibcloud"),
    company("Альфа Ритейл", "alfaretail"),
    company("Росплатёж", "rosplatezh"),
    company("Каспий Логистик", "caspianlogistics"),
    company("Нева Финтех", "nevafintech"),
    company("Грань Безопасность", "gransec"),
    company("Таймыр Энерго", "taymyrenergo"),
    company("Медитех Онлайн", "meditech-online"),
    company("Кедр Страхование", "kedr-insurance"),
    company("Полюс Аналитика", "polus-analytics"),
    company("Звезда Игры", "zvezdagames"),
    company("Орбита Связь", "orbita-svyaz"),
    company("Тундра Данные", "tundradata"),
    company("Курс Маркетплейс", "kurs-market"),
    company("Меридиан Банк", "meridianbank"),
  ],
  en: [
    company("Harbourline Freight", "harbourline"),
    company("Quillmark Insurance", "quillmark"),
    company("Brightwater Health", "brightwaterhealth"),
    company("Cobalt Ridge Energy", "cobaltridge"),
    company("Northgate Retail", "northgate-retail"),
    company("Fernhill Bank", "fernhillbank"),
    company("Alder & Finch", "alderfinch"),
    company("Sableworks Games", "sableworks"),
    company("Meridian Pay", "meridianpay"),
    company("Kestrel Analytics", "kestrel-analytics"),
    company("Oakvale Logistics", "oakvale"),
    company("Tidewater Telecom", "tidewatertel"),
    company("Lumenfield Media", "lumenfield"),
    company("Granite Peak Capital", "granitepeak"),
    company("Halcyon Travel", "halcyontravel"),
    company("Ironbridge Manufacturing", "ironbridge"),
    company("Pinecrest Software", "pinecrest"),
    company("Vantage Mobility", "vantagemobility"),
    company("Silverline Foods", "silverlinefoods"),
    company("Redwood Clinical", "redwoodclinical"),
  ],
};

export const JOB_TITLES: Record<Locale, string[]> = {
  ru: [
    "Руководитель службы ИБ", "Архитектор облачной платформы", "Ведущий DevOps-инженер", "CISO", "Руководитель SRE", "Инженер по безопасности приложений",
    "Технический директор", "Руководитель платформенной команды", "Аналитик SOC", "Руководитель направления инфраструктуры",
  ],
  en: [
    "Head of Security", "Cloud Platform Architect", "Principal DevOps Engineer", "CISO", "SRE Manager", "Application Security Engineer",
    "CTO", "Platform Team Lead", "Detection Engineer", "Director of Infrastructure",
  ],
};

/** The forms a company makes addresses in, most common first. */
const FORMS: Array<(first: string, last: string) => string> = [
  (f, l) => `${f}.${l}`,
  (f, l) => `${f[0]}${l}`,
  (f, l) => `${f[0]}.${l}`,
  (f, l) => `${f}${l}`,
  (f, l) => `${f}_${l}`,
  (f, l) => `${f}-${l}`,
  (f, l) => `${l}.${f}`,
  (f, l) => `${f}.${l[0]}`,
  (f, l) => `${l}${f[0]}`,
  (f, l) => `${l}_${f[0]}`,
  (f) => f,
  (f, l) => `${f}${l[0]}`,
];

export class AddressBook {
  private readonly taken = new Set<string>();

  /** Reserves an address that is already in use elsewhere (the named demo members'). */
  reserve(address: string) {
    this.taken.add(address.toLowerCase());
  }

  /**
   * A work address for the person at `preferred`, or, when every form of the name is taken
   * there, at the first of `others` where one is free. Returns the company used.
   */
  assign(first: string, last: string, preferred: Company, others: Company[]): { email: string; company: Company } {
    const f = latin(first);
    const l = latin(last);
    for (const place of [preferred, ...others]) {
      for (const form of FORMS) {
        const email = `${form(f, l)}@${place.domain}`;
        if (this.taken.has(email)) continue;
        this.taken.add(email);
        return { email, company: place };
      }
    }
    throw new Error(`No free address for ${first} ${last}`);
  }
}
