import { z } from "zod";

/**
 * Configuration, parsed once when the server starts. A bad or missing value stops
 * the start with a message that names it. See README.md "Configuration".
 */
const optionalString = z
  .string()
  .trim()
  .optional()
  .transform((value) => (value ? value : undefined));

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL"),
    DATABASE_REPLICA_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgresql:// connection URL")
        .optional(),
    ),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().default("0.0.0.0"),
    APP_URL: optionalString.pipe(z.url("must be a full URL such as https://club.example.com").optional()),
    SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
    SMTP_URL: optionalString.pipe(
      z.string().regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL").optional(),
    ),
    MAIL_FROM: z.string().default("Coterie <no-reply@coterie.local>"),
    STRIPE_SECRET_KEY: optionalString,
    STRIPE_WEBHOOK_SECRET: optionalString,
    /** Only for tests and local stand-ins: send Stripe API calls to this base URL. */
    STRIPE_API_BASE: optionalString.pipe(z.url().optional()),
    /** How long one Stripe API call may take before the member is told to try again. */
    STRIPE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** The Telegram bot's token from @BotFather; without it the bot is off. */
    TELEGRAM_BOT_TOKEN: optionalString,
    /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token on every webhook call (1-256 of A-Z a-z 0-9 _ -). */
    TELEGRAM_WEBHOOK_SECRET: optionalString.pipe(z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, "may hold only A-Z, a-z, 0-9, _ and - (1 to 256)").optional()),
    /** Only for tests, the demo and local stand-ins: the Bot API's address (default https://api.telegram.org). */
    TELEGRAM_API_ROOT: optionalString.pipe(z.url().optional()),
    /** How updates arrive: "webhook" (production's default) or "polling" (getUpdates; the default elsewhere). */
    TELEGRAM_UPDATES: z.enum(["webhook", "polling"]).optional(),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    /** Connections per server process to PostgreSQL. */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    /** "off" sends every query unnamed: for a pooler that cannot keep prepared statements. */
    DATABASE_NAMED_STATEMENTS: z.enum(["on", "off"]).default("on"),
    /** Requests one server process works on at once; the rest wait their turn (scripts/request-queue.ts). */
    MAX_CONCURRENT_REQUESTS: z.coerce.number().int().min(1).max(10_000).optional(),
    /** How long a request may wait for its turn before it gets 503. */
    REQUEST_QUEUE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== "production") return;
    const required: Array<[keyof typeof env, string]> = [
      ["APP_URL", "the public address of the portal, e.g. https://club.example.com"],
      ["STRIPE_SECRET_KEY", "a Stripe secret key (sk_live_… or sk_test_…)"],
      ["STRIPE_WEBHOOK_SECRET", "the signing secret of the /webhooks/stripe endpoint (whsec_…)"],
    ];
    if (env.TELEGRAM_BOT_TOKEN) required.push(["TELEGRAM_WEBHOOK_SECRET", "a random secret for the Telegram webhook, since TELEGRAM_BOT_TOKEN is set"]);
    for (const [name, what] of required) {
      if (!env[name]) {
        ctx.addIssue({ code: "custom", path: [name], message: `is required in production: ${what}` });
      }
    }
  });

export type Env = z.infer<typeof schema>;

export class ConfigurationError extends Error {
  constructor(issues: string[]) {
    super(`Coterie cannot start, its configuration is invalid:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigurationError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "environment"} ${issue.message}`),
    );
  }
  const env = result.data;
  return { ...env, APP_URL: env.APP_URL ?? `http://localhost:${env.PORT}` };
}

let cached: Env | undefined;

/** The parsed configuration; the first call parses process.env. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Billing runs against the built-in test checkout when no Stripe key is configured. */
export function isStripeTestMode(): boolean {
  return !env().STRIPE_SECRET_KEY;
}
