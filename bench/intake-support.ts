// What the intake benchmark and the crash test share: residents signed in without the identity
// provider (an account and a session row, the cookie set exactly as the sign-in sets it), the
// server as a child process, a keep-alive HTTP client, and complete applications as multipart bodies.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import {
  documentsToUpload,
  needsPaymentDetails,
  validBankAccount,
} from '../src/modules/applications/applications.service.ts';
import { measureForApplication } from '../src/modules/catalog/catalog.service.ts';
import { upsertAccount } from '../src/modules/residents/residents.repository.ts';
import { SESSION_COOKIE, startSession } from '../src/platform/auth/session.service.ts';
import type { Db } from '../src/platform/db/database.ts';

/** A portal measure with one document to upload (the veteran's certificate) and payment details. */
export const INTAKE_MEASURE = 'VETERAN-EDV';

export interface ResidentSession {
  accountId: number;
  personId: number;
  /** The session cookie's value: the sign-in sets the token itself, unsigned (session.service.ts). */
  token: string;
}

/** Signs `count` registry persons in: an account each (as the first ESIA sign-in makes) and a session. */
export async function residentSessions(db: Db, count: number): Promise<ResidentSession[]> {
  const persons = await db.selectFrom('persons').select('id').orderBy('id').limit(count).execute();
  if (persons.length < count) throw new Error(`only ${persons.length} persons in the registry`);
  const sessions: ResidentSession[] = [];
  for (const p of persons) {
    const account = await upsertAccount(db, p.id, `bench-${p.id}`);
    const token = await startSession(db, {
      kind: 'resident',
      residentAccountId: account.id,
      ip: '127.0.0.1',
      userAgent: 'opora-intake-bench',
    });
    sessions.push({ accountId: account.id, personId: p.id, token });
  }
  return sessions;
}

/** The API's fields for a complete application of `code`, with the ids of the documents to upload. */
export async function applicationShape(db: Db, code = INTAKE_MEASURE) {
  const measure = await measureForApplication(db, { code });
  const bik = '041806647';
  const fields: Record<string, string> = { measure: code, phone: '+7 902 123-45-67', email: 'r@example.ru' };
  if (needsPaymentDetails(measure))
    Object.assign(fields, { payment_method: 'bank', bik, account: bankAccount(bik) });
  return { fields, documentIds: documentsToUpload(measure).map((d) => d.id) };
}

/** An account number that passes the Bank of Russia key check for this BIK. */
function bankAccount(bik: string): string {
  for (let d = 0; d <= 9; d++) {
    const account = `40817810${d}00000012345`;
    if (validBankAccount(bik, account)) return account;
  }
  throw new Error('no key digit fits');
}

/** A PDF of about `size` bytes, different every time (so every submission stores a new blob). */
export function uniquePdf(size = 20 * 1024): Buffer {
  const head = Buffer.from(
    `%PDF-1.4\n% ${randomBytes(16).toString('hex')}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n` +
      '2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n',
  );
  const tail = Buffer.from('trailer<</Root 1 0 R>>\n%%EOF\n');
  const pad = Math.max(0, size - head.length - tail.length);
  const filler = Buffer.from(`% ${randomBytes(Math.ceil(pad / 2)).toString('hex')}`.slice(0, pad - 1));
  return Buffer.concat([head, filler, Buffer.from('\n'), tail]);
}

export interface FilePart {
  filename: string;
  bytes: Buffer;
  type?: string;
}

/** A multipart/form-data body: fields first (as a browser sends a form), then the files. */
export function multipart(
  fields: Record<string, string>,
  files: Record<string, FilePart> = {},
): { body: Buffer; contentType: string } {
  const boundary = `----opora${randomBytes(12).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const [name, f] of Object.entries(files)) {
    parts.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${f.filename}"\r\n` +
          `Content-Type: ${f.type ?? 'application/pdf'}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}

export interface HttpResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request over the agent (keep-alive); rejects on a connection error (reset, refused). */
export function httpRequest(
  agent: http.Agent,
  url: string,
  method: string,
  headers: Record<string, string | number>,
  body?: Buffer,
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method, agent, headers: body ? { ...headers, 'content-length': body.length } : headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A resident's credentials for API calls: the session cookie, the CSRF cookie and its token. */
export interface ApiCredentials {
  cookie: string;
  csrfToken: string;
}

/** Asks the app for a CSRF token (GET /api/csrf) and keeps the cookie it sets beside the session's. */
export async function apiCredentials(
  agent: http.Agent,
  baseUrl: string,
  session: ResidentSession,
): Promise<ApiCredentials> {
  const sessionCookie = `${SESSION_COOKIE}=${session.token}`;
  const r = await httpRequest(agent, `${baseUrl}/api/csrf`, 'GET', { cookie: sessionCookie });
  if (r.status !== 200) throw new Error(`GET /api/csrf answered ${r.status}: ${r.body}`);
  const set = r.headers['set-cookie'] ?? [];
  const csrfCookie = set.map((line) => line.split(';')[0]!).find((pair) => pair.startsWith('opora_csrf='));
  if (!csrfCookie) throw new Error('GET /api/csrf set no CSRF cookie');
  return {
    cookie: `${sessionCookie}; ${csrfCookie}`,
    csrfToken: (JSON.parse(r.body) as { token: string }).token,
  };
}

/** POST /api/applications with a fresh document for every listed id. */
export function submitApplication(
  agent: http.Agent,
  baseUrl: string,
  credentials: ApiCredentials,
  shape: { fields: Record<string, string>; documentIds: number[] },
  idempotencyKey: string,
  pdf: () => Buffer = () => uniquePdf(),
): Promise<HttpResult> {
  const files: Record<string, FilePart> = {};
  for (const id of shape.documentIds) files[`document_${id}`] = { filename: 'certificate.pdf', bytes: pdf() };
  const { body, contentType } = multipart(shape.fields, files);
  return httpRequest(
    agent,
    `${baseUrl}/api/applications`,
    'POST',
    {
      cookie: credentials.cookie,
      'x-csrf-token': credentials.csrfToken,
      'idempotency-key': idempotencyKey,
      'content-type': contentType,
      accept: 'application/json',
    },
    body,
  );
}

// ---------------------------------------------------------------- the server as a child process

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  baseUrl: string;
  /** What the server wrote to stderr (its log at the chosen level), for a failing test's message. */
  output(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<string>;
}

export interface ServeOptions {
  databaseUrl: string;
  port: number;
  blobDir: string;
  dataDir: string;
  secret: string;
  logLevel?: string;
  uploadLimitMb?: number;
  /** Extra Node options for the server process, e.g. --cpu-prof. */
  nodeArgs?: string[];
}

/**
 * `opora serve --no-worker` as its own process (Node 24 itself, not through npx, so a signal reaches
 * the server and nothing in between). Resolves once /healthz answers.
 */
export async function startServer(o: ServeOptions): Promise<ServerProcess> {
  const child = spawn(
    process.execPath,
    [
      ...(o.nodeArgs ?? []),
      '--import',
      './src/platform/loader/register.ts',
      'bin/opora.ts',
      'serve',
      '--no-worker',
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: o.databaseUrl,
        PORT: String(o.port),
        HOST: '127.0.0.1',
        OPORA_BLOB_DIR: o.blobDir,
        OPORA_DATA_DIR: o.dataDir,
        OPORA_SECRET: o.secret,
        OPORA_STORAGE: 'local',
        LOG_LEVEL: o.logLevel ?? 'warn',
        ...(o.uploadLimitMb ? { OPORA_UPLOAD_LIMIT_MB: String(o.uploadLimitMb) } : {}),
      },
      stdio: [
        'ignore',
        process.env.BENCH_SERVER_STDOUT ? openSync(process.env.BENCH_SERVER_STDOUT, 'w') : 'ignore',
        'pipe',
      ],
    },
  );
  let output = '';
  child.stderr?.on('data', (c: Buffer) => {
    output = (output + c.toString()).slice(-20_000);
  });
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? String(code))),
  );
  const baseUrl = `http://127.0.0.1:${o.port}`;
  const agent = new http.Agent({ keepAlive: false });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    try {
      const r = await httpRequest(agent, `${baseUrl}/healthz`, 'GET', {});
      if (r.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server did not start in 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, baseUrl, output: () => output, exited };
}

/** The server's resident set size in bytes (from /proc), or undefined where there is no /proc. */
export function rssOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return undefined;
  }
}

/** Counts rows of a table, for checks in the bench and tests. */
export async function countRows(db: Db, table: 'applications' | 'application_documents'): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
