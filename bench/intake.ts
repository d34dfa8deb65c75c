// Intake benchmark: concurrent HTTP submissions of complete online applications (the one-request
// API, each with its own ~20 KB PDF) against the real server, then pgbench on the same PostgreSQL as
// the database's own limit. Target (issue 4): ≥ 500 submissions/s with p99 < 100 ms on 2 cores.
//
// The server is `opora serve --no-worker` in a child process (so its memory is its own), over an
// embedded PostgreSQL with durable settings (fsync and synchronous_commit on, as in production: an
// acknowledged application must survive a crash) unless --settings bench. The load generator is this
// process: node:http with a keep-alive agent. All three share the machine's cores; the CPU each used is
// printed. Two runs of `--duration` s each, after a `--warmup`:
//   capacity     closed loop: `--concurrency` requests always in flight, as fast as the server answers
//                (the most it can take; latency here is mostly the clients' own queue: Little's law)
//   target rate  open loop: `--rate` submissions a second sent on a fixed schedule whatever the answers,
//                latency counted from each one's scheduled time (so a stall is not hidden by the
//                load generator waiting for it, "coordinated omission"): the target's check
//   npm run bench:intake -- [--persons 20000] [--residents 200] [--concurrency 64] [--rate 500]
//                           [--duration 20] [--warmup 3] [--pdf-kb 20] [--settings durable|bench]
//                           [--log-level info] [--profile] [--pgbench-seconds 20]
//                           (--rate 0, --concurrency 0 or --pgbench-seconds 0 skips that run)
// Diagnostics (environment): BENCH_TIMELINE=ms prints p50/p99 for every so many ms of the runs;
// BENCH_NODE_ARGS="--trace-gc" passes options to the server's Node, BENCH_SERVER_STDOUT=file keeps
// what it writes to stdout; BENCH_KEEP_PROFILE=1 keeps --profile's CPU profile; BENCH_PG_LOG=file
// keeps PostgreSQL's log (timestamped), BENCH_PG_SETTINGS="k=v k=v" adds server settings (durable runs).
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { acceptUpload, submitComplete } from '../src/modules/applications/applications.service.ts';
import { createDb, type Db } from '../src/platform/db/database.ts';
import { freePort, startEmbedded } from '../src/platform/db/embedded.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';
import { blobStore } from '../src/platform/storage/storage.service.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import { type Answer, LeanClient, requestBytes, requestTemplate, runNonce } from './intake-client.ts';
import {
  type ApiCredentials,
  apiCredentials,
  applicationShape,
  cpuSecondsOf,
  httpRequest,
  INTAKE_MEASURE,
  multipart,
  residentSessions,
  rssOf,
  startServer,
  submitApplication,
  uniquePdf,
} from './intake-support.ts';
import { BENCH_SETTINGS, type BenchDatabase, startBenchDatabase } from './support.ts';

const TARGET = { perSecond: 500, p99Ms: 100 };

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '20000' },
    residents: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '64' },
    rate: { type: 'string', default: '500' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    'pdf-kb': { type: 'string', default: '20' },
    measure: { type: 'string', default: INTAKE_MEASURE },
    settings: { type: 'string', default: 'durable' },
    'log-level': { type: 'string', default: 'info' },
    'pgbench-seconds': { type: 'string', default: '20' },
    'pgbench-clients': { type: 'string', default: '16' },
    /** Where the time goes: statements (pg_stat_statements), what backends wait on, the server's CPU profile. */
    profile: { type: 'boolean', default: false },
  },
});
const int = (name: keyof typeof values) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be a whole number`);
  return v;
};
const persons = int('persons');
const residentCount = int('residents');
const concurrency = int('concurrency');
const rate = int('rate');
const duration = int('duration');
const warmup = int('warmup');
const pdfBytes = int('pdf-kb') * 1024;
const durable = values.settings !== 'bench';
const profile = values.profile;

const cores = availableParallelism();
const out = (line = '') => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const mib = (bytes: number | undefined) =>
  bytes === undefined ? 'n/a' : `${(bytes / 1024 ** 2).toFixed(0)} MiB`;
const n = (v: number, digits = 0) =>
  v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

// ---------------------------------------------------------------- the database

const pgLog = process.env.BENCH_PG_LOG;

/** Durable: what production runs (fsync, synchronous commit, full page writes on; the defaults). */
async function startDurableDatabase(): Promise<BenchDatabase & { serverUrl: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'opora-bench-intake-'));
  chmodSync(dir, 0o755); // the server runs as the 'postgres' user when we are root
  const server = await startEmbedded({
    dir: join(dir, 'data'),
    persistent: false,
    settings: {
      max_connections: '200',
      shared_buffers: '512MB',
      ...Object.fromEntries(
        (process.env.BENCH_PG_SETTINGS?.split(' ').filter(Boolean) ?? []).map(
          (kv) => kv.split('=') as [string, string],
        ),
      ),
      ...(profile
        ? {
            shared_preload_libraries: 'pg_stat_statements',
            track_io_timing: 'on',
            'pg_stat_statements.track_planning': 'on',
          }
        : {}),
    },
    log: pgLog ? (line) => appendFileSync(pgLog, `${new Date().toISOString()} ${line}\n`) : undefined,
  });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('create database opora_bench');
  await admin.end();
  return {
    url: server.url('opora_bench'),
    serverUrl: server.url('postgres'),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startDatabase() {
  if (durable) return await startDurableDatabase();
  const bench = await startBenchDatabase('intake');
  return { ...bench, serverUrl: bench.url.replace(/\/opora_bench$/, '/postgres') };
}

/**
 * CPU seconds used so far by this benchmark's PostgreSQL: the postmaster, its live children and (from
 * the postmaster's cutime/cstime) its children that have exited. Other PostgreSQL servers on the
 * machine (other test runs) are not counted.
 */
function postgresCpuSeconds(postmaster: number): number {
  const fieldsOf = (pid: string | number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  };
  let total = 0;
  try {
    const f = fieldsOf(postmaster); // fields from state: ppid is [1], utime [11], stime [12], cutime [13], cstime [14]
    total += (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / 100;
  } catch {
    return 0;
  }
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const f = fieldsOf(pid);
      if (Number(f[1]) === postmaster) total += (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function postmasterPid(db: Db): Promise<number> {
  const { rows } = await sql<{ dir: string }>`select current_setting('data_directory') as dir`.execute(db);
  return Number(readFileSync(join(rows[0]!.dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
}

/** CPU seconds the whole machine has been busy (every core, every process), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const t = ticks.map(Number);
  const idle = (t[3] ?? 0) + (t[4] ?? 0);
  return (t.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
}

async function dbStats(db: Db) {
  const { rows } = await sql<{
    xact_commit: string;
    tup_inserted: string;
    wal_bytes: string;
    wal_fpi: string;
  }>`
    select xact_commit, tup_inserted, w.wal_bytes, w.wal_fpi
    from pg_stat_database, pg_stat_wal w where datname = current_database()`.execute(db);
  const r = rows[0];
  return {
    commits: Number(r?.xact_commit ?? 0),
    inserted: Number(r?.tup_inserted ?? 0),
    // The whole server's WAL (this database is the only one written during a run).
    walBytes: Number(r?.wal_bytes ?? 0),
    walFpi: Number(r?.wal_fpi ?? 0),
  };
}

// ---------------------------------------------------------------- load

interface Round {
  /** The open loop's rate (submissions a second sent on schedule); undefined for the closed loop. */
  offered?: number;
  latencies: number[];
  /**
   * Per answered request (ms): [latency, late to send, the server's check, its wait for the group write,
   * and the write's steps: waiting for the batch ahead, the read, the pack, the statement].
   */
  phases: number[][];
  statuses: Map<number, number>;
  errors: Map<string, number>;
  created: number;
  seconds: number;
}

type Send = (i: number) => Promise<Answer>;
const timeline: Array<[number, number]> | undefined = process.env.BENCH_TIMELINE ? [] : undefined;
process.on('exit', () => {
  if (!timeline?.length) return;
  const t0 = timeline[0]![0];
  const bySecond = new Map<number, number[]>();
  for (const [at, ms] of timeline) {
    const s =
      Math.floor((at - t0) / Number(process.env.BENCH_TIMELINE)) *
      (Number(process.env.BENCH_TIMELINE) / 1000);
    bySecond.set(s, [...(bySecond.get(s) ?? []), ms]);
  }
  for (const [s, l] of bySecond) {
    l.sort((a, b) => a - b);
    note(
      `${new Date(performance.timeOrigin + t0 + s * 1000).toISOString().slice(11, 23)} t=${s}s n=${l.length} p50=${l[Math.floor(l.length / 2)]!.toFixed(0)} p99=${l[Math.floor(l.length * 0.99)]!.toFixed(0)} max=${l.at(-1)!.toFixed(0)}`,
    );
  }
});

/** Submissions through the lean client: request i as credential i mod n, its number written into the template. */
function sender(
  client: LeanClient,
  baseUrl: string,
  credentials: ApiCredentials[],
  shape: Awaited<ReturnType<typeof applicationShape>>,
  label: string,
): Send {
  const host = new URL(baseUrl).host;
  const templates = credentials.map((c) => requestTemplate(host, c, shape, pdfBytes, label));
  const nonce = runNonce();
  return (i) => client.send(requestBytes(templates[i % templates.length]!, i, nonce));
}

function emptyRound(seconds: number): Round {
  return { latencies: [], phases: [], statuses: new Map(), errors: new Map(), created: 0, seconds };
}

/** One request, its latency counted from `since` (when it was sent, or when it was due). */
async function timed(round: Round, send: Send, i: number, since: number): Promise<void> {
  try {
    const late = performance.now() - since;
    const r = await send(i);
    round.latencies.push(performance.now() - since);
    const t = r.timing;
    round.phases.push([
      performance.now() - since,
      late,
      ...['check', 'write', 'queue', 'read', 'pack', 'statement'].map((k) => t[k] ?? 0),
    ]);
    timeline?.push([since, performance.now() - since]);
    round.statuses.set(r.status, (round.statuses.get(r.status) ?? 0) + 1);
    if (r.status === 201) round.created++;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    round.errors.set(code, (round.errors.get(code) ?? 0) + 1);
  }
}

/** Closed loop: `concurrency` clients, each sending its next request when the last is answered. */
async function load(send: Send, seconds: number, clients = concurrency): Promise<Round> {
  const round = emptyRound(seconds);
  const started = performance.now();
  const until = started + seconds * 1000;
  let sequence = 0;
  const worker = async () => {
    while (performance.now() < until) await timed(round, send, sequence++, performance.now());
  };
  await Promise.all(Array.from({ length: clients }, worker));
  round.seconds = (performance.now() - started) / 1000;
  return round;
}

/**
 * Open loop: request i is due at start + i/rate and sent then (or as soon after as this process can),
 * however many are still unanswered; its latency runs from when it was due. Throughput is counted
 * until the last answer, so a server that falls behind shows fewer per second than were offered.
 */
async function loadAtRate(send: Send, perSecond: number, seconds: number): Promise<Round> {
  const round = { ...emptyRound(seconds), offered: perSecond };
  const total = Math.round(perSecond * seconds);
  const pending = new Set<Promise<void>>();
  const started = performance.now();
  let next = 0;
  await new Promise<void>((done) => {
    const tick = () => {
      const due = Math.min(total, Math.floor(((performance.now() - started) * perSecond) / 1000) + 1);
      for (; next < due; next++) {
        const request = timed(round, send, next, started + (next * 1000) / perSecond).finally(() =>
          pending.delete(request),
        );
        pending.add(request);
      }
      if (next >= total) done();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await Promise.all(pending);
  round.seconds = (performance.now() - started) / 1000;
  return round;
}

/**
 * The mean of each part of the latency over a slice of the answers ordered by latency: late to send
 * (the load generator), the server's check and its wait for the group write (its Server-Timing),
 * and the rest (the network, and waiting to be read or for the answer to be read: event loops).
 */
function phaseLine(phases: Round['phases'], from: number, to: number): string {
  const sorted = [...phases].sort((a, b) => a[0]! - b[0]!);
  const slice = sorted.slice(Math.floor(from * sorted.length), Math.ceil(to * sorted.length));
  if (slice.length === 0) return 'no answers';
  const mean = (k: number) => slice.reduce((s, x) => s + x[k]!, 0) / slice.length;
  const rest = mean(0) - mean(1) - mean(2) - mean(3);
  const steps = ['waiting for the batch ahead', 'read', 'pack', 'statement']
    .map((step, k) => `${step} ${mean(4 + k).toFixed(1)}`)
    .join(' + ');
  return (
    `${mean(0).toFixed(1)} ms = late to send ${mean(1).toFixed(1)} + check ${mean(2).toFixed(1)} + ` +
    `group write ${mean(3).toFixed(1)} + the rest ${rest.toFixed(1)}\n` +
    `${' '.repeat(26)}group write: ${steps}`
  );
}

const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;

// ---------------------------------------------------------------- profiling (--profile)

/** What the app's connections are doing, sampled every 10 ms: running, waiting (on what), or idle in a transaction. */
function sampleBackends(url: string) {
  const client = new pg.Client({ connectionString: url });
  const seen = new Map<string, number>();
  let samples = 0;
  let stopped = false;
  const done = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ what: string; n: string }>(
        `select case when state = 'idle in transaction' then 'idle in transaction (waiting for the app)'
                     when wait_event is null then 'running'
                     else wait_event_type || ': ' || wait_event end as what, count(*) as n
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'
            and backend_type = 'client backend'
          group by 1`,
      );
      samples++;
      for (const r of rows) seen.set(r.what, (seen.get(r.what) ?? 0) + Number(r.n));
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.end();
  })();
  return async () => {
    stopped = true;
    await done;
    return { samples, seen };
  };
}

async function topStatements(db: Db, submissions: number) {
  // Planning counted with execution: every statement here is planned afresh (no prepared statements).
  const { rows } = await sql<{ calls: string; total: number; plan: number; query: string }>`
    select calls, total_exec_time + total_plan_time as total, total_plan_time as plan, query
      from pg_stat_statements
     where dbid = (select oid from pg_database where datname = current_database())
     order by 2 desc limit 15`.execute(db);
  return rows.map(
    (r) =>
      `    ${(r.total / submissions).toFixed(3).padStart(7)} ms/submission (planning ${(r.plan / submissions).toFixed(3)})  ${(
        Number(r.calls) / submissions
      )
        .toFixed(2)
        .padStart(
          5,
        )} calls  mean ${(r.total / Math.max(1, Number(r.calls))).toFixed(3)} ms  ${r.query.replace(/\s+/g, ' ').slice(0, 90)}`,
  );
}

interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }>;
  samples: number[];
  timeDeltas: number[];
}

/**
 * The server's CPU profile folded two ways: by where the code lives (a package, a source file, Node
 * itself, GC), native functions counted with the JavaScript that called them; and the hottest functions.
 */
function summariseProfile(dir: string): string[] {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return ['    (no CPU profile written)'];
  const p = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const where = (url: string) =>
    /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ??
    /\/((?:src|bench)\/.+)$/.exec(url)?.[1] ??
    (url.startsWith('node:') ? url.split('/').slice(0, 2).join('/') : undefined);
  const bucketOf = (id: number): string => {
    const { url, functionName } = byId.get(id)!.callFrame;
    if (functionName === '(idle)' || functionName === '(garbage collector)' || functionName === '(program)')
      return functionName;
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const found = where(byId.get(at)!.callFrame.url);
      if (found) return at === id ? found : `${found} (native code it called)`;
    }
    return url || functionName || '(native)';
  };
  // Loading and compiling modules at start-up is no cost of a submission: left out.
  const startUp = new Map<number, boolean>();
  const loadingModules = (id: number): boolean => {
    const known = startUp.get(id);
    if (known !== undefined) return known;
    const { functionName, url } = byId.get(id)!.callFrame;
    const up = parent.get(id);
    const result =
      /^(compileSourceTextModule|wrapSafe|runCallSync|compileForInternalLoader)$/.test(functionName) ||
      url.includes('/esbuild/') ||
      (up !== undefined && loadingModules(up));
    startUp.set(id, result);
    return result;
  };
  const buckets = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  p.samples.forEach((id, i) => {
    const bucket = bucketOf(id);
    const dt = p.timeDeltas[i] ?? 0;
    if (bucket === '(idle)' || loadingModules(id)) return;
    busy += dt;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + dt);
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const name = `${functionName || '(anonymous)'} ${where(url) ?? url}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + dt);
  });
  const top = (m: Map<string, number>, count: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([k, us]) => `    ${((us / busy) * 100).toFixed(1).padStart(5)}%  ${k}`);
  return [...top(buckets, 16), '  hottest functions (self time):', ...top(functions, 14)];
}

/**
 * One submission at a time, taken apart: what the server spends on a request that stops at the edge
 * and on a whole one (its CPU from /proc), and in this process the upload (blob write with fsyncs),
 * the transaction (statements counted, CPU, wall time) and how long it holds the audit chain's lock.
 */
async function costBreakdown(
  db: Db,
  baseUrl: string,
  pid: number | undefined,
  credentials: ApiCredentials,
  session: { accountId: number; personId: number },
  shape: Awaited<ReturnType<typeof applicationShape>>,
): Promise<string[]> {
  const lines: string[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const atServer = async (label: string, count: number, fn: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await fn(-i - 1);
    const c0 = cpuSecondsOf(pid) ?? 0;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) await fn(i);
    const cpuMs = (((cpuSecondsOf(pid) ?? 0) - c0) * 1000) / count;
    lines.push(
      `    ${label.padEnd(56)} ${cpuMs.toFixed(2).padStart(6)} ms server CPU, ${((performance.now() - t0) / count).toFixed(2).padStart(6)} ms wall`,
    );
  };
  const document = `document_${shape.documentIds[0]}`;
  await atServer('GET /healthz (the framework alone)', 500, () =>
    httpRequest(agent, `${baseUrl}/healthz`, 'GET', {}),
  );
  await atServer('GET /api/csrf (+ session lookup)', 500, () =>
    httpRequest(agent, `${baseUrl}/api/csrf`, 'GET', { cookie: credentials.cookie }),
  );
  await atServer('POST stopped at the edge (+ CSRF, multipart, 20 KB file)', 300, () => {
    const { body, contentType } = multipart(shape.fields, {
      [document]: { filename: 'c.pdf', bytes: uniquePdf(pdfBytes) },
    });
    return httpRequest(
      agent,
      `${baseUrl}/api/applications`,
      'POST',
      { cookie: credentials.cookie, 'x-csrf-token': credentials.csrfToken, 'content-type': contentType },
      body,
    );
  });
  await atServer('POST a whole submission', 300, (i) =>
    submitApplication(
      agent,
      baseUrl,
      credentials,
      shape,
      `breakdown-${String(i + 100).padStart(8, '0')}`,
      () => uniquePdf(pdfBytes),
    ),
  );
  agent.destroy();

  // In this process: the upload, then the transaction, traced by a Kysely plugin.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const store = blobStore({ storage: { kind: 'local', dir: join(blobDir, 'in-process') } });
  const c0 = cpuMs();
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) await acceptUpload(store, uniquePdf(pdfBytes), 'c.pdf', 10 * 1024 * 1024);
  // The portal's path; the API appends documents up to 64 KB to a pack with its batch instead (stageUpload).
  lines.push(
    `    ${'acceptUpload: a new blob file (write, fsync, rename, fsync dir)'.padEnd(56)} ${((cpuMs() - c0) / 200).toFixed(2).padStart(6)} ms CPU here, ${((performance.now() - t0) / 200).toFixed(2).padStart(6)} ms wall`,
  );
  const upload = await acceptUpload(store, uniquePdf(pdfBytes), 'c.pdf', 10 * 1024 * 1024);
  let statements = 0;
  let lockedAt = 0;
  const lockQueries = new Set<unknown>();
  const traced = db.withPlugin({
    transformQuery: (args) => {
      statements++;
      if (args.node.kind === 'RawNode' && args.node.sqlFragments.join('').includes('pg_advisory_xact_lock'))
        lockQueries.add(args.queryId);
      return args.node;
    },
    transformResult: async (args) => {
      if (lockQueries.has(args.queryId)) lockedAt = performance.now();
      return args.result;
    },
  });
  const actor = { kind: 'resident' as const, ...session, sessionId: 'bench' };
  const holds: number[] = [];
  const c1 = cpuMs();
  const t1 = performance.now();
  const count = 300;
  for (let i = 0; i < count; i++) {
    await traced.transaction().execute((trx) =>
      submitComplete(
        trx,
        actor,
        {
          measureCode: shape.fields.measure!,
          answers: { phone: shape.fields.phone, payment: { method: 'post' } },
          documents: shape.documentIds.map((id) => ({ measureDocumentId: id, upload })),
          idempotencyKey: `in-process-${String(i).padStart(8, '0')}`,
        },
        { ip: '127.0.0.1' },
      ),
    );
    if (lockedAt) holds.push(performance.now() - lockedAt);
  }
  holds.sort((a, b) => a - b);
  lines.push(
    `    ${`submitComplete's transaction (${(statements / count + 2).toFixed(0)} statements with BEGIN, COMMIT)`.padEnd(56)} ${((cpuMs() - c1) / count).toFixed(2).padStart(6)} ms CPU here, ${((performance.now() - t1) / count).toFixed(2).padStart(6)} ms wall`,
  );
  // Only while a writer takes a region-wide advisory lock (the audit chain did until migration 0009).
  if (holds.length)
    lines.push(
      `    ${'of which the audit chain lock is held (taken → committed)'.padEnd(56)} p50 ${percentile(holds, 50).toFixed(2)} ms, p90 ${percentile(holds, 90).toFixed(2)} ms: at most ${n(1000 / percentile(holds, 50))} appends/s region-wide`,
    );
  return lines;
}

// ---------------------------------------------------------------- pgbench

async function pgbench(
  serverUrl: string,
  seconds: number,
  clients: number,
): Promise<{ tps: number; latencyMs: number } | string> {
  const found = spawnSync('pgbench', ['--version'], { encoding: 'utf8' });
  if (found.error)
    return 'pgbench is not installed: apt-get install postgresql-client (Debian/Ubuntu), then run again';
  const u = new URL(serverUrl);
  const env = {
    ...process.env,
    PGHOST: u.hostname,
    PGPORT: u.port,
    PGUSER: decodeURIComponent(u.username),
    PGPASSWORD: decodeURIComponent(u.password),
    PGDATABASE: 'pgbench',
  };
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query('create database pgbench');
  await admin.end();
  execFileSync('pgbench', ['-i', '-s', '10', '-q'], { env, stdio: 'ignore' });
  const run = execFileSync('pgbench', ['-c', String(clients), '-j', '2', '-T', String(seconds), '-N'], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const tps = Number(/tps = ([\d.]+)/.exec(run)?.[1]);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(run)?.[1]);
  return { tps, latencyMs };
}

// ---------------------------------------------------------------- the run

const database = await startDatabase();
const blobDir = mkdtempSync(join(tmpdir(), 'opora-bench-intake-blobs-'));
const dataDir = mkdtempSync(join(tmpdir(), 'opora-bench-intake-data-'));
const profileDir = mkdtempSync(join(tmpdir(), 'opora-bench-intake-profile-'));
const db = createDb(database.url, 4);
let server: Awaited<ReturnType<typeof startServer>> | undefined;
try {
  await migrateToLatest(db);
  await migrateJobQueue(database.url);
  note(`Seeding ${n(persons)} residents…`);
  await seedRegion(db, database.url, { persons, seed: 1 });
  const sessions = await residentSessions(db, residentCount);
  const shape = await applicationShape(db, values.measure);

  server = await startServer({
    databaseUrl: database.url,
    port: await freePort(),
    blobDir,
    dataDir,
    secret: 'intake-bench-secret-intake-bench-secret-0',
    logLevel: values['log-level'],
    nodeArgs: [
      ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
  });
  if (profile) await sql`create extension if not exists pg_stat_statements`.execute(db);
  const pid = server.child.pid;
  const postmaster = await postmasterPid(db);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const credentials = await Promise.all(sessions.map((s) => apiCredentials(agent, server!.baseUrl, s)));
  agent.destroy();
  // Enough connections for the open loop's backlog too: a request never waits for a free one here.
  const client = new LeanClient(Number(new URL(server.baseUrl).port), Math.max(concurrency, 512));
  const send = (label: string) => sender(client, server!.baseUrl, credentials, shape, label);

  note(`Warming up for ${warmup} s…`);
  await load(send('warmup'), warmup, concurrency || 32);

  const countApplications = async (state?: 'submitted') => {
    let q = db.selectFrom('applications').select((eb) => eb.fn.countAll<string>().as('n'));
    if (state) q = q.where('state', '=', state);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };

  /** One run with everything measured around it: CPU of each party, memory, rows, the database's statistics. */
  const measured = async (title: string, run: () => Promise<Round>) => {
    let peakRss = 0;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, rssOf(pid) ?? 0);
    }, 100);
    if (profile) await sql`select pg_stat_statements_reset()`.execute(db);
    const stopSampling = profile ? sampleBackends(database.url) : undefined;
    const before = {
      server: cpuSecondsOf(pid) ?? 0,
      postgres: postgresCpuSeconds(postmaster),
      machine: machineBusySeconds(),
      self: process.cpuUsage(),
      db: await dbStats(db),
      apps: await countApplications('submitted'),
    };
    const round = await run();
    clearInterval(sampler);
    const backends = await stopSampling?.();
    const statementLines = profile ? await topStatements(db, round.created) : [];
    const u = process.cpuUsage(before.self);
    const cpu = {
      server: (cpuSecondsOf(pid) ?? 0) - before.server,
      postgres: postgresCpuSeconds(postmaster) - before.postgres,
      machine: machineBusySeconds() - before.machine,
      self: (u.user + u.system) / 1e6,
    };
    report(title, round, cpu, {
      peakRss,
      endRss: rssOf(pid),
      db: await dbStats(db),
      dbBefore: before.db,
      stored: (await countApplications('submitted')) - before.apps,
    });
    return { round, backends, statementLines };
  };

  const report = (
    title: string,
    round: Round,
    cpu: { server: number; postgres: number; machine: number; self: number },
    at: {
      peakRss: number;
      endRss: number | undefined;
      db: Awaited<ReturnType<typeof dbStats>>;
      dbBefore: Awaited<ReturnType<typeof dbStats>>;
      stored: number;
    },
  ) => {
    const sorted = round.latencies.sort((x, y) => x - y);
    const ok = (round.statuses.get(201) ?? 0) + (round.statuses.get(200) ?? 0);
    const perSecond = round.created / round.seconds;
    const errors = [...round.errors].map(([k, v]) => `${k} ${v}`);
    const refused = [...round.statuses].filter(([s]) => s >= 300).map(([s, c]) => `HTTP ${s} ${c}`);
    const p = (q: number) => percentile(sorted, q);
    const share = (s: number) => `${((s / round.seconds) * 100).toFixed(0)}%`;
    // The open loop offers a fixed rate and lasts a little longer than scheduled (the last answers):
    // it keeps up if every submission offered was created, at a rate at least the target's.
    const offered = round.offered;
    const keptUp = offered
      ? offered >= TARGET.perSecond &&
        round.created === Math.round(offered * duration) &&
        ok === round.created
      : perSecond >= TARGET.perSecond;
    out(title);
    out(
      `  submissions/s         ${n(perSecond, 1)}   (${n(round.created)} created in ${round.seconds.toFixed(1)} s)`,
    );
    out(
      `  latency               p50 ${p(50).toFixed(1)} ms   p95 ${p(95).toFixed(1)} ms   p99 ${p(99).toFixed(1)} ms   max ${sorted.at(-1)?.toFixed(1)} ms`,
    );
    out(`  where the time went   ${phaseLine(round.phases, 0, 0.5)} (fastest half)`);
    out(`                        ${phaseLine(round.phases, 0.99, 1)} (slowest 1%)`);
    out(
      `  errors                ${errors.length || refused.length ? [...errors, ...refused].join(', ') : 'none'} (${n(ok)} answered 2xx)`,
    );
    out(`  server memory (RSS)   peak ${mib(at.peakRss)}, at the end ${mib(at.endRss)}`);
    out(
      `  CPU over the run      server ${share(cpu.server)}, PostgreSQL ${share(cpu.postgres)}, load generator ${share(cpu.self)}, ` +
        `other processes ${share(Math.max(0, cpu.machine - cpu.server - cpu.postgres - cpu.self))} ` +
        `(of ${cores * 100}% on ${cores} cores); server ${((cpu.server / round.created) * 1e3).toFixed(2)} ms and PostgreSQL ` +
        `${((cpu.postgres / round.created) * 1e3).toFixed(2)} ms CPU per submission`,
    );
    out(
      `  database              ${((at.db.commits - at.dbBefore.commits) / round.created).toFixed(1)} transactions and ` +
        `${((at.db.inserted - at.dbBefore.inserted) / round.created).toFixed(1)} inserted rows and ` +
        `${((at.db.walBytes - at.dbBefore.walBytes) / round.created / 1024).toFixed(1)} KB of WAL ` +
        `(${((at.db.walFpi - at.dbBefore.walFpi) / round.created).toFixed(2)} full-page images) per submission; ` +
        `${n(at.stored)} applications stored during the run`,
    );
    out(
      `  target                ${TARGET.perSecond}/s: ${verdict(keptUp)} (${((perSecond / TARGET.perSecond) * 100).toFixed(0)}%${offered ? `, ${n(round.created)} of ${n(Math.round(offered * duration))} offered` : ''}); ` +
        `p99 < ${TARGET.p99Ms} ms: ${verdict(p(99) < TARGET.p99Ms)}`,
    );
    lastPerSecond = perSecond;
  };
  let lastPerSecond = 0;

  const setting =
    `${values.measure} with one ${n(pdfBytes / 1024)} KB PDF per application, ${n(residentCount)} residents, ` +
    `${n(persons)} persons in the registry, ${duration} s, ` +
    `${durable ? 'durable PostgreSQL (fsync, synchronous_commit on)' : 'bench PostgreSQL (fsync off)'}, ` +
    `server log level ${values['log-level']}`;
  out();
  out(`Intake: ${setting}`);
  let profiled: Awaited<ReturnType<typeof measured>> | undefined;
  if (concurrency > 0) {
    note(`Submitting for ${duration} s at concurrency ${concurrency}…`);
    profiled = await measured(`capacity: closed loop, ${concurrency} requests always in flight`, () =>
      load(send('capacity'), duration),
    );
  }
  if (rate > 0) {
    note(`Submitting ${rate} a second for ${duration} s…`);
    profiled = await measured(
      `target rate: open loop, ${rate} submissions/s offered, latency from each one's scheduled time (the target's check)`,
      () => loadAtRate(send('rate'), rate, duration),
    );
  }
  const { backends, statementLines } = profiled ?? { backends: undefined, statementLines: [] };
  client.close();

  const breakdown = profile
    ? await costBreakdown(db, server.baseUrl, pid, credentials[0]!, sessions[0]!, shape)
    : undefined;

  // The server is stopped so pgbench has the machine (and PostgreSQL) to itself.
  server.child.kill('SIGTERM');
  await server.exited;
  server = undefined;
  if (profile && backends) {
    out();
    out('Profile (figures above are with profiling on):');
    out(
      `  the app's PostgreSQL connections, sampled every 10 ms (${n(backends.samples)} samples; average busy connections):`,
    );
    for (const [what, count] of [...backends.seen].sort((a, b) => b[1] - a[1]))
      out(`    ${(count / backends.samples).toFixed(2).padStart(6)}  ${what}`);
    out('  statements by total execution time (pg_stat_statements):');
    for (const line of statementLines) out(line);
    out('  one submission at a time, taken apart:');
    for (const line of breakdown ?? []) out(line);
    out(
      '  server CPU by where the code lives (--cpu-prof over its whole life, idle and module loading excluded):',
    );
    for (const line of summariseProfile(profileDir)) out(line);
    out();
  }
  const pgSeconds = int('pgbench-seconds');
  const pgClients = int('pgbench-clients');
  if (pgSeconds > 0) note('pgbench -i -s 10, then -N…');
  const bench =
    pgSeconds > 0 ? await pgbench(database.serverUrl, pgSeconds, pgClients) : '--pgbench-seconds 0';
  if (typeof bench === 'string') out(`  pgbench               skipped: ${bench}`);
  else {
    out(
      `  pgbench -N            ${n(bench.tps, 0)} tps (-c ${pgClients} -j 2 -T ${pgSeconds}, scale 10, latency average ${bench.latencyMs} ms): ` +
        `the database's own limit on this machine`,
    );
    out(
      `  ratio                 ${((lastPerSecond / bench.tps) * 100).toFixed(0)}% of pgbench's transactions per second (the last run)`,
    );
  }
  if (!durable)
    out(
      `  (PostgreSQL settings: ${Object.entries(BENCH_SETTINGS)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')})`,
    );
} finally {
  if (server) {
    server.child.kill('SIGKILL');
    await server.exited;
  }
  await db.destroy();
  await database.stop();
  rmSync(blobDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.BENCH_KEEP_PROFILE) rmSync(profileDir, { recursive: true, force: true });
  else note(`CPU profile kept in ${profileDir}`);
}
