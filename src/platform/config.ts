// All configuration comes from the environment, read once, validated here.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface Config {
  /** A PostgreSQL server to use; when absent an embedded server is started under dataDir. */
  databaseUrl: string | undefined;
  host: string;
  port: number;
  /** Public base URL of the portal, used for OIDC redirects. */
  baseUrl: string;
  dataDir: string;
  /** Signs cookies and CSRF tokens; shared by every instance of the app. */
  secret: string;
  oidc: { issuer: string; clientId: string; clientSecret: string; simulatorPort: number };
  logLevel: string;
  /** Production hardens cookies (Secure) and refuses generated secrets. */
  production: boolean;
  /** Where uploaded documents live: content-addressed files on disk, or an S3-compatible bucket. */
  storage: StorageConfig;
  /** The largest document a resident or specialist may upload, in bytes. */
  uploadLimitBytes: number;
  /** Outgoing mail for notifications; absent: no email channel (the demo starts a local sink). */
  smtp: SmtpConfig | undefined;
  /** The SMS gateway's HTTP API; absent: no SMS channel (the demo starts the simulator). */
  sms: SmsConfig | undefined;
  /** Delivery of notifications: quiet hours for SMS and per-channel throttles. */
  notify: NotifyConfig;
  /** Port of the SMS gateway simulator in demo mode. */
  smsSimulatorPort: number;
  /** The interagency (SMEV-like) gateway; absent: no automatic requests (the demo starts the simulator). */
  agency: AgencyConfig | undefined;
  /** Port of the agency simulator in demo mode. */
  agencySimulatorPort: number;
}

export interface AgencyConfig {
  /** Base URL of the gateway: POST /SendRequest, /GetResponse, /Ack. */
  url: string;
  /** How often the worker polls for responses while requests are outstanding. */
  pollIntervalMs: number;
  /** First retry delay after a failed send or poll; doubles each time, at most 10 minutes. */
  retryBaseMs: number;
  /** A call to the gateway that takes longer is abandoned and retried. */
  timeoutMs: number;
  /**
   * A sent request with no answer for this long goes out again with the same MessageID: a gateway
   * that lost its queue (an incident, a restarted simulator) would otherwise never answer it.
   */
  resendAfterMs: number;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | undefined;
  pass: string | undefined;
  /** The From address of every notification email. */
  from: string;
}

export interface SmsConfig {
  /** Base URL of the gateway; messages are POSTed to `${url}/send`. */
  url: string;
  apiKey: string;
}

export interface NotifyConfig {
  /** No SMS between these local times (Europe/Volgograd), "HH:MM"; undefined: SMS at any hour. */
  smsQuietHours: { start: string; end: string } | undefined;
  /** Most messages sent per second on each channel, over every worker together. */
  rates: { portal: number; email: number; sms: number };
}

export type StorageConfig =
  | { kind: 'local'; dir: string }
  | {
      kind: 's3';
      endpoint: string;
      bucket: string;
      region: string;
      accessKeyId: string;
      secretAccessKey: string;
    };

function storageFrom(env: NodeJS.ProcessEnv, dataDir: string): StorageConfig {
  if (env.OPORA_STORAGE !== 's3')
    return { kind: 'local', dir: resolve(env.OPORA_BLOB_DIR ?? join(dataDir, 'blobs')) };
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} must be set when OPORA_STORAGE=s3`);
    return value;
  };
  return {
    kind: 's3',
    endpoint: need('S3_ENDPOINT'),
    bucket: need('S3_BUCKET'),
    region: env.S3_REGION ?? 'us-east-1',
    accessKeyId: need('S3_ACCESS_KEY_ID'),
    secretAccessKey: need('S3_SECRET_ACCESS_KEY'),
  };
}

function smtpFrom(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  const host = env.OPORA_SMTP_HOST;
  if (!host) return undefined;
  const secure = env.OPORA_SMTP_SECURE === '1' || env.OPORA_SMTP_SECURE === 'true';
  return {
    host,
    port: intFrom('OPORA_SMTP_PORT', secure ? 465 : 587, env),
    secure,
    user: env.OPORA_SMTP_USER || undefined,
    pass: env.OPORA_SMTP_PASS || undefined,
    from: env.OPORA_SMTP_FROM ?? 'Opora <no-reply@opora.example>',
  };
}

function smsFrom(env: NodeJS.ProcessEnv): SmsConfig | undefined {
  const url = env.OPORA_SMS_URL;
  if (!url) return undefined;
  const apiKey = env.OPORA_SMS_KEY;
  if (!apiKey) throw new Error('OPORA_SMS_KEY must be set when OPORA_SMS_URL is');
  return { url: url.replace(/\/+$/, ''), apiKey };
}

function agencyFrom(env: NodeJS.ProcessEnv): AgencyConfig | undefined {
  const url = env.OPORA_AGENCY_URL;
  return url ? agencyGateway(url, env) : undefined;
}

/** A gateway at `url` with the timings from the environment (or their defaults); the demo's too. */
export function agencyGateway(url: string, env: NodeJS.ProcessEnv = process.env): AgencyConfig {
  const ms = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return value;
  };
  return {
    url: url.replace(/\/+$/, ''),
    pollIntervalMs: ms('OPORA_AGENCY_POLL_MS', 1000),
    retryBaseMs: ms('OPORA_AGENCY_RETRY_MS', 2000),
    timeoutMs: ms('OPORA_AGENCY_TIMEOUT_MS', 10_000),
    resendAfterMs: ms('OPORA_AGENCY_RESEND_MS', 3_600_000),
  };
}

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

function notifyFrom(env: NodeJS.ProcessEnv): NotifyConfig {
  const quiet = env.OPORA_SMS_QUIET_HOURS ?? '21:00-09:00';
  let smsQuietHours: NotifyConfig['smsQuietHours'];
  if (quiet !== 'off') {
    const [start = '', end = ''] = quiet.split('-').map((s) => s.trim());
    if (!CLOCK.test(start) || !CLOCK.test(end))
      throw new Error(`OPORA_SMS_QUIET_HOURS must be "HH:MM-HH:MM" or "off", got "${quiet}"`);
    smsQuietHours = { start, end };
  }
  const rate = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a positive integer, got "${raw}"`);
    return value;
  };
  return {
    smsQuietHours,
    rates: {
      portal: rate('OPORA_NOTIFY_RATE_PORTAL', 500),
      email: rate('OPORA_NOTIFY_RATE_EMAIL', 20),
      sms: rate('OPORA_NOTIFY_RATE_SMS', 20),
    },
  };
}

function intFrom(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65535) {
    throw new Error(`${name} must be a port number, got "${raw}"`);
  }
  return value;
}

/** In development the secret is generated once and kept under .data/, never in the repo. */
function loadSecret(dataDir: string, production: boolean): string {
  const fromEnv = process.env.OPORA_SECRET;
  if (fromEnv) {
    if (fromEnv.length < 32) throw new Error('OPORA_SECRET must be at least 32 characters');
    return fromEnv;
  }
  if (production) throw new Error('OPORA_SECRET must be set in production');
  const file = join(dataDir, 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.OPORA_DATA_DIR ?? '.data');
  const port = intFrom('PORT', 3000);
  const host = env.HOST ?? 'localhost';
  const simulatorPort = intFrom('OPORA_IDP_PORT', 3001);
  const baseUrl = env.OPORA_BASE_URL ?? `http://localhost:${port}`;
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    host,
    port,
    baseUrl,
    dataDir,
    secret: loadSecret(dataDir, production),
    oidc: {
      issuer: env.OPORA_OIDC_ISSUER ?? `http://localhost:${simulatorPort}`,
      clientId: env.OPORA_OIDC_CLIENT_ID ?? 'opora-portal',
      clientSecret: env.OPORA_OIDC_CLIENT_SECRET ?? 'opora-portal-demo-secret',
      simulatorPort,
    },
    logLevel: env.LOG_LEVEL ?? 'info',
    production,
    storage: storageFrom(env, dataDir),
    uploadLimitBytes: (Number(env.OPORA_UPLOAD_LIMIT_MB) || 10) * 1024 * 1024,
    smtp: smtpFrom(env),
    sms: smsFrom(env),
    notify: notifyFrom(env),
    smsSimulatorPort: intFrom('OPORA_SMS_SIM_PORT', 3002, env),
    agency: agencyFrom(env),
    agencySimulatorPort: intFrom('OPORA_AGENCY_SIM_PORT', 3003, env),
  };
}
