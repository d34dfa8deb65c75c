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

function intFrom(name: string, fallback: number): number {
  const raw = process.env[name];
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
  };
}
