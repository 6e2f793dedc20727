// Every environment variable the app reads, in one schema, read once. A wrong
// value stops the process with the variable's name and what is expected, and
// the web app and the worker check at start that the variables they cannot
// run without are set (assertStartConfig). No other module reads process.env:
// they ask config(). Tests and scripts that run parts of the app in their own
// process hand it their values through configure(env) instead of writing to
// process.env.
//
// What each variable means for operators: README.md, "Environment variables".
import { z } from "zod";
import { databaseProviderFor } from "./db/url";
import { EncryptionConfigError, KEY_GENERATION_HINT, keyringFromVariables, type Keyring } from "./security/keyring";

export type EnvironmentValues = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const positiveInt = z
  .string()
  .regex(/^\d+$/)
  .transform(Number)
  .pipe(z.number().int().positive());
const minutes = z
  .string()
  .regex(/^\d+(\.\d+)?$/)
  .transform(Number)
  .pipe(z.number().min(1));
const trueOrFalse = z.enum(["true", "false"]).transform((value) => value === "true");
const absoluteUrl = (protocols: string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  });
const text = z.string();

/** Each variable: how it is checked, and what is expected (the message when it is wrong). */
const VARIABLES = {
  NODE_ENV: [z.enum(["development", "production", "test"]), "development, production or test"],
  SHOPIFY_API_KEY: [text, "the app's client id from the Partner dashboard (the Shopify CLI sets it in development)"],
  SHOPIFY_API_SECRET: [text, "the app's client secret from the Partner dashboard (the Shopify CLI sets it in development)"],
  SHOPIFY_APP_URL: [absoluteUrl(["https:", "http:"]), "the web app's public URL, e.g. https://erp-sync.example.com"],
  SCOPES: [text, "comma-separated access scopes, e.g. read_orders"],
  SHOP_CUSTOM_DOMAIN: [text, "an extra shop domain pattern the Shopify library accepts"],
  SHOPIFY_APP_HANDLE: [text, "the app handle used in links inside alert messages"],
  ENCRYPTION_KEY: [text, `base64 of 32 random bytes. ${KEY_GENERATION_HINT}`],
  ENCRYPTION_KEY_PREVIOUS: [text, "base64 of 32 random bytes (the key being retired)"],
  DATABASE_URL: [text, "file:… (SQLite) or postgres://… / postgresql://… (PostgreSQL)"],
  DATABASE_POOL_MAX: [positiveInt, "a whole number above 0: PostgreSQL connections per process"],
  PORT: [positiveInt, "the port `npm start` listens on, a whole number"],
  HOST: [text, "the interface `npm start` listens on"],
  WORKER_CONCURRENCY: [positiveInt, "a whole number above 0: orders a worker sends at once"],
  WORKER_LEASE_MS: [positiveInt, "milliseconds, a whole number above 0"],
  WORKER_POLL_MS: [positiveInt, "milliseconds, a whole number above 0"],
  WORKER_ID: [text, "this worker's name in leases and the heartbeat"],
  RECONCILE_INTERVAL_MINUTES: [minutes, "minutes, 1 or more"],
  ERP_CHECK_INTERVAL_MINUTES: [minutes, "minutes, 1 or more (unset: the ERP-side totals check is off)"],
  SMTP_URL: [absoluteUrl(["smtp:", "smtps:"]), "smtp://user:pass@host:587 or smtps://… (unset: no e-mail alerts)"],
  ALERT_EMAIL_FROM: [text, "the sender address of alert e-mails"],
  METRICS_TOKEN: [text, "the bearer token /metrics requires"],
  WEBHOOK_BODY_TIMEOUT_MS: [positiveInt, "milliseconds, a whole number above 0"],
  HEALTH_WORKER_MAX_AGE_S: [positiveInt, "seconds, a whole number above 0"],
  SYNC_WORKER_IN_PROCESS: [trueOrFalse, "true or false (development only)"],
  ALLOW_PRIVATE_ERP_URLS: [trueOrFalse, "true or false (never true in production)"],
  LOG_LEVEL: [z.enum(LOG_LEVELS), `one of ${LOG_LEVELS.join(", ")}`],
  APP_BRIDGE_URL: [absoluteUrl(["https:", "http:"]), "the absolute URL of the App Bridge script"],
} as const satisfies Record<string, readonly [z.ZodType<unknown, string>, string]>;

type VariableName = keyof typeof VARIABLES;
type Values = { [Name in VariableName]?: z.output<(typeof VARIABLES)[Name][0]> };

/** The variables the web app and the worker cannot start without. */
const REQUIRED_TO_START = ["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "SCOPES", "ENCRYPTION_KEY"] as const;

export interface AppConfig {
  nodeEnv: "development" | "production" | "test" | undefined;
  shopify: {
    apiKey: string | undefined;
    apiSecret: string | undefined;
    appUrl: string | undefined;
    scopes: string[] | undefined;
    customShopDomain: string | undefined;
    appHandle: string | undefined;
  };
  /** null while ENCRYPTION_KEY is not set (getKeyring() then says how to make one). */
  keyring: Keyring | null;
  // Unset tunables stay undefined: the module that uses each one owns its default.
  database: { url: string | undefined; poolMax: number | undefined };
  http: { port: number | undefined; host: string | undefined };
  /** The sync worker's tuning (app/sync/worker/worker-process.ts WorkerSettings). */
  worker: {
    workerId: string | undefined;
    concurrency: number | undefined;
    leaseMs: number | undefined;
    pollIntervalMs: number | undefined;
  };
  /** In development, run the sync worker inside the web process (app/dev-worker.server.ts). */
  syncWorkerInProcess: boolean;
  reconcileIntervalMs: number | undefined;
  /** null: the ERP-side check is off. */
  erpCheckIntervalMs: number | null;
  alerts: { smtpUrl: string | undefined; emailFrom: string | undefined };
  metricsToken: string | undefined;
  webhookBodyTimeoutMs: number | undefined;
  healthWorkerMaxAgeMs: number | undefined;
  allowPrivateErpUrls: boolean;
  logLevel: (typeof LOG_LEVELS)[number] | undefined;
  appBridgeUrl: string | undefined;
}

/** A wrong (or, at start, missing) environment variable: one line per variable, naming it and what is expected. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The app's configuration is not usable:\n${problems.map((p) => `- ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads the given environment (nothing else); throws ConfigError listing every wrong value. */
export function parseConfig(env: EnvironmentValues): AppConfig {
  const values: Values = {};
  const problems: string[] = [];
  for (const [name, [schema, expected]] of Object.entries(VARIABLES) as Array<[VariableName, (typeof VARIABLES)[VariableName]]>) {
    const raw = env[name];
    // Set but empty counts as unset, as a shell's `VAR=` means.
    if (raw === undefined || raw.trim() === "") continue;
    const parsed = (schema as z.ZodType<unknown, string>).safeParse(raw.trim());
    if (parsed.success) (values as Record<string, unknown>)[name] = parsed.data;
    else problems.push(`${name}: expected ${expected}`);
  }
  if (values.DATABASE_URL !== undefined) {
    try {
      databaseProviderFor(values.DATABASE_URL);
    } catch {
      problems.push(`DATABASE_URL: expected ${VARIABLES.DATABASE_URL[1]}`);
    }
  }
  let keyring: Keyring | null = null;
  if (values.ENCRYPTION_KEY !== undefined) {
    try {
      keyring = keyringFromVariables(values);
    } catch (error) {
      if (!(error instanceof EncryptionConfigError)) throw error;
      problems.push(error.message);
    }
  } else if (values.ENCRYPTION_KEY_PREVIOUS !== undefined) {
    problems.push("ENCRYPTION_KEY_PREVIOUS is set but ENCRYPTION_KEY is not: set the new key in ENCRYPTION_KEY");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: values.NODE_ENV,
    shopify: {
      apiKey: values.SHOPIFY_API_KEY,
      apiSecret: values.SHOPIFY_API_SECRET,
      appUrl: values.SHOPIFY_APP_URL,
      scopes: values.SCOPES?.split(","),
      customShopDomain: values.SHOP_CUSTOM_DOMAIN,
      appHandle: values.SHOPIFY_APP_HANDLE,
    },
    keyring,
    database: { url: values.DATABASE_URL, poolMax: values.DATABASE_POOL_MAX },
    http: { port: values.PORT, host: values.HOST },
    worker: {
      workerId: values.WORKER_ID,
      concurrency: values.WORKER_CONCURRENCY,
      leaseMs: values.WORKER_LEASE_MS,
      pollIntervalMs: values.WORKER_POLL_MS,
    },
    syncWorkerInProcess: values.SYNC_WORKER_IN_PROCESS ?? true,
    reconcileIntervalMs: values.RECONCILE_INTERVAL_MINUTES !== undefined ? values.RECONCILE_INTERVAL_MINUTES * 60_000 : undefined,
    erpCheckIntervalMs: values.ERP_CHECK_INTERVAL_MINUTES !== undefined ? values.ERP_CHECK_INTERVAL_MINUTES * 60_000 : null,
    alerts: { smtpUrl: values.SMTP_URL, emailFrom: values.ALERT_EMAIL_FROM },
    metricsToken: values.METRICS_TOKEN,
    webhookBodyTimeoutMs: values.WEBHOOK_BODY_TIMEOUT_MS,
    healthWorkerMaxAgeMs: values.HEALTH_WORKER_MAX_AGE_S !== undefined ? values.HEALTH_WORKER_MAX_AGE_S * 1000 : undefined,
    allowPrivateErpUrls: values.ALLOW_PRIVATE_ERP_URLS ?? false,
    logLevel: values.LOG_LEVEL,
    appBridgeUrl: values.APP_BRIDGE_URL,
  };
}

let current: { env: EnvironmentValues; config: AppConfig } | null = null;

/** This process's configuration: the environment, read on first use and kept. */
export function config(): AppConfig {
  current ??= { env: process.env, config: parseConfig(process.env) };
  return current.config;
}

/**
 * Makes `env` this process's configuration (tests and scripts that run the
 * app's modules in their own process); throws ConfigError like a bad
 * environment would.
 */
export function configure(env: EnvironmentValues): AppConfig {
  const parsed = parseConfig(env);
  current = { env: { ...env }, config: parsed };
  return parsed;
}

/** The values the current configuration was read from, to configure() a variation of it. */
export function configuredEnv(): EnvironmentValues {
  config();
  return current!.env;
}

/**
 * The web app and the worker call this at start: a variable they cannot run
 * without that is missing stops them now, with its name and what to set,
 * rather than at the first request or order.
 */
export function assertStartConfig(checked: AppConfig = config()): void {
  const set: Record<(typeof REQUIRED_TO_START)[number], unknown> = {
    SHOPIFY_API_KEY: checked.shopify.apiKey,
    SHOPIFY_API_SECRET: checked.shopify.apiSecret,
    SHOPIFY_APP_URL: checked.shopify.appUrl,
    SCOPES: checked.shopify.scopes,
    ENCRYPTION_KEY: checked.keyring,
  };
  const missing = REQUIRED_TO_START.filter((name) => !set[name]);
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name} is not set: expected ${VARIABLES[name][1]}`));
}
