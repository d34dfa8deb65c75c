// Booking benchmark: concurrent HTTP bookings against the real server (`opora serve --no-worker` in a
// child process), each one the portal's own confirmation (POST /me/appointments/new/check with the
// resident's session and CSRF token), in two rounds:
//   (a) contention — every client goes for the same few slots at once: one booking per slot, the rest
//       must be told "taken" (409);
//   (b) spread — every client books a different free slot: all must succeed.
// At the end a SQL check counts slots with more than one live appointment: it must be zero.
// A few Volgograd centres get extra desks and slots for 20 working days (reception:open-slots).
//   npm run bench:booking -- [--persons 20000] [--offices 4] [--desks 3] [--concurrency 32]
//                            [--contended 1000] [--hot-slots 10] [--spread 2000] [--settings durable|bench]
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { measureForApplication } from '../src/modules/catalog/catalog.service.ts';
import { districtIdsByCodes, listOffices } from '../src/modules/geography/geography.service.ts';
import * as reception from '../src/modules/reception/reception.service.ts';
import { regionClock } from '../src/modules/reception/reception.slots.ts';
import { createDb } from '../src/platform/db/database.ts';
import { freePort, startEmbedded } from '../src/platform/db/embedded.ts';
import { migrateToLatest } from '../src/platform/db/migrate.ts';
import { migrateJobQueue } from '../src/platform/jobs/jobs.ts';
import { seedRegion } from '../src/seed/seed.service.ts';
import {
  type ApiCredentials,
  apiCredentials,
  cpuSecondsOf,
  httpRequest,
  residentSessions,
  startServer,
} from './intake-support.ts';
import { type BenchDatabase, startBenchDatabase } from './support.ts';

const { values } = parseArgs({
  options: {
    persons: { type: 'string', default: '20000' },
    offices: { type: 'string', default: '4' },
    desks: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    contended: { type: 'string', default: '1000' },
    'hot-slots': { type: 'string', default: '10' },
    spread: { type: 'string', default: '2000' },
    measure: { type: 'string', default: 'VETERAN-EDV' },
    settings: { type: 'string', default: 'durable' },
  },
});
const int = (name: keyof typeof values) => {
  const v = Number(values[name]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
  return v;
};
const persons = int('persons');
const officeCount = int('offices');
const deskCount = int('desks');
const concurrency = int('concurrency');
const contended = int('contended');
const hotSlots = int('hot-slots');
const spread = int('spread');
const durable = values.settings !== 'bench';

const out = (line = '') => console.log(line);
const note = (line: string) => process.stderr.write(`${line}\n`);
const n = (v: number, digits = 0) =>
  v.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const percentile = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]! : Number.NaN;

/** Durable PostgreSQL (fsync, synchronous commit: an acknowledged booking must survive a crash). */
async function startDatabase(): Promise<BenchDatabase> {
  if (!durable) return await startBenchDatabase('booking');
  const dir = mkdtempSync(join(tmpdir(), 'opora-bench-booking-'));
  chmodSync(dir, 0o755); // the server runs as the 'postgres' user when we are root
  const server = await startEmbedded({
    dir: join(dir, 'data'),
    persistent: false,
    settings: { max_connections: '200', shared_buffers: '512MB' },
  });
  const admin = new pg.Client({ connectionString: server.url('postgres') });
  await admin.connect();
  await admin.query('create database opora_bench');
  await admin.end();
  return {
    url: server.url('opora_bench'),
    stop: async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * CPU seconds used so far by this benchmark's own PostgreSQL: the "postgres" processes descended from
 * this process (other PostgreSQL servers on the machine are not counted).
 */
function postgresCpuSeconds(): number {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      comm.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
      parent.set(Number(entry), Number(stat.slice(close + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const ours = (pid: number): boolean => {
    for (let at = parent.get(pid); at !== undefined && at > 1; at = parent.get(at))
      if (at === process.pid) return true;
    return false;
  };
  let total = 0;
  for (const [pid, name] of comm) if (name === 'postgres' && ours(pid)) total += cpuSecondsOf(pid) ?? 0;
  return total;
}

/** CPU seconds the whole machine has been busy (every core, every process), from /proc/stat. */
function machineBusySeconds(): number {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const t = ticks.map(Number);
  const idle = (t[3] ?? 0) + (t[4] ?? 0);
  return (t.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
}

interface Cpu {
  server: number;
  postgres: number;
  self: number;
  machine: number;
}

/** CPU used by each party while `run` runs. */
async function measured<T>(pid: number | undefined, run: () => Promise<T>): Promise<{ result: T; cpu: Cpu }> {
  const before = {
    server: cpuSecondsOf(pid) ?? 0,
    postgres: postgresCpuSeconds(),
    machine: machineBusySeconds(),
    self: process.cpuUsage(),
  };
  const result = await run();
  const self = process.cpuUsage(before.self);
  return {
    result,
    cpu: {
      server: (cpuSecondsOf(pid) ?? 0) - before.server,
      postgres: postgresCpuSeconds() - before.postgres,
      machine: machineBusySeconds() - before.machine,
      self: (self.user + self.system) / 1e6,
    },
  };
}

interface Target {
  slotId: number;
  officeId: number;
  day: string;
}

interface Round {
  latencies: number[];
  booked: number;
  taken: number;
  other: Map<string, number>;
  seconds: number;
}

/** `attempts` bookings, `concurrency` in flight; attempt i is resident i booking target(i). */
async function round(
  agent: http.Agent,
  baseUrl: string,
  credentials: ApiCredentials[],
  measure: string,
  attempts: number,
  target: (i: number) => Target,
): Promise<Round> {
  const r: Round = { latencies: [], booked: 0, taken: 0, other: new Map(), seconds: 0 };
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < attempts; i = next++) {
      const who = credentials[i]!;
      const t = target(i);
      const body = Buffer.from(
        new URLSearchParams({
          measure,
          office: String(t.officeId),
          day: t.day,
          slot: String(t.slotId),
          key: `bench-${String(i).padStart(8, '0')}-${t.slotId}`,
        }).toString(),
      );
      const t0 = performance.now();
      try {
        const res = await httpRequest(
          agent,
          `${baseUrl}/me/appointments/new/check`,
          'POST',
          {
            cookie: who.cookie,
            'x-csrf-token': who.csrfToken,
            'content-type': 'application/x-www-form-urlencoded',
          },
          body,
        );
        r.latencies.push(performance.now() - t0);
        if (res.status === 303 && /done=booked/.test(String(res.headers.location))) r.booked++;
        else if (res.status === 409) r.taken++;
        else r.other.set(`HTTP ${res.status}`, (r.other.get(`HTTP ${res.status}`) ?? 0) + 1);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
        r.other.set(code, (r.other.get(code) ?? 0) + 1);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  r.seconds = (performance.now() - started) / 1000;
  return r;
}

function report(label: string, r: Round, cpu: Cpu) {
  const sorted = [...r.latencies].sort((a, b) => a - b);
  const p = (q: number) => percentile(sorted, q).toFixed(1);
  const attempts = r.latencies.length;
  const share = (s: number) => `${((s / r.seconds) * 100).toFixed(0)}%`;
  const per = (s: number) => `${((s / Math.max(1, attempts)) * 1000).toFixed(2)} ms`;
  out(`  ${label}`);
  out(
    `    attempts/s          ${n(attempts / r.seconds, 1)}   (${n(attempts)} in ${r.seconds.toFixed(1)} s)`,
  );
  out(`    bookings/s          ${n(r.booked / r.seconds, 1)}   (${n(r.booked)} booked)`);
  out(`    conflicts (409)     ${n(r.taken)}`);
  out(`    latency             p50 ${p(50)} ms   p99 ${p(99)} ms   max ${sorted.at(-1)?.toFixed(1)} ms`);
  out(
    `    other answers       ${r.other.size ? [...r.other].map(([k, v]) => `${k} ${v}`).join(', ') : 'none'}`,
  );
  out(
    `    CPU                 server ${share(cpu.server)}, PostgreSQL ${share(cpu.postgres)}, load generator ${share(cpu.self)}, ` +
      `other processes ${share(Math.max(0, cpu.machine - cpu.server - cpu.postgres - cpu.self))} (of ${availableParallelism() * 100}%); ` +
      `per attempt: server ${per(cpu.server)}, PostgreSQL ${per(cpu.postgres)}`,
  );
}

// ---------------------------------------------------------------- the run

const database = await startDatabase();
const db = createDb(database.url, 4);
const blobDir = mkdtempSync(join(tmpdir(), 'opora-bench-booking-blobs-'));
const dataDir = mkdtempSync(join(tmpdir(), 'opora-bench-booking-data-'));
let server: Awaited<ReturnType<typeof startServer>> | undefined;
let failed = false;
try {
  await migrateToLatest(db);
  await migrateJobQueue(database.url);
  note(`Seeding ${n(persons)} residents…`);
  await seedRegion(db, database.url, { persons, seed: 1 });

  // A few centres of Volgograd, each with `desks` desks, slots for 20 working days.
  const [volgograd] = await districtIdsByCodes(db, ['volgograd']);
  const offices = (await listOffices(db, { districtIds: [volgograd!] }))
    .filter((o) => o.kind === 'social_protection_centre')
    .slice(0, officeCount);
  const admin = {
    kind: 'staff' as const,
    userId: 0,
    login: 'bench',
    fullName: 'Bench',
    role: 'administrator' as const,
    districtIds: [],
    sessionId: 'bench',
  };
  for (const office of offices) {
    await db.transaction().execute((trx) => reception.ensureSchedule(trx, office.id));
    for (let d = 2; d <= deskCount; d++)
      await db
        .transaction()
        .execute((trx) =>
          reception.addDesk(
            trx,
            admin,
            office.id,
            { name: `Окно ${d}`, measureIds: [] },
            { ip: '127.0.0.1' },
          ),
        );
  }
  const t0 = performance.now();
  let opened = 0;
  for (const office of offices) opened += (await reception.openSlots(db, { officeId: office.id })).upserted;
  const openSeconds = (performance.now() - t0) / 1000;
  const measure = await measureForApplication(db, { code: values.measure });

  // Targets: open, unreserved slots from tomorrow on (today's may pass during the run).
  const tomorrow = new Date(Date.now() + 24 * 3600_000);
  const free = await db
    .selectFrom('slots')
    .select(['id', 'office_id', 'starts_at'])
    .where(
      'office_id',
      'in',
      offices.map((o) => o.id),
    )
    .where('is_open', '=', true)
    .where('reserved_for_priority', '=', false)
    .where('starts_at', '>', tomorrow)
    .orderBy('starts_at')
    .orderBy('id')
    .execute();
  const toTarget = (s: (typeof free)[number]): Target => ({
    slotId: s.id,
    officeId: s.office_id,
    day: regionClock(s.starts_at).date,
  });
  const hot = free.slice(0, hotSlots).map(toTarget);
  const rest = free.slice(hotSlots).map(toTarget);
  if (rest.length < spread) throw new Error(`only ${rest.length} free slots for ${spread} spread bookings`);
  // Spread bookings walk the slots in a stride, so concurrent clients rarely hit the same desk and day.
  const stride = Math.max(1, Math.floor(rest.length / spread));
  const spreadTargets = Array.from({ length: spread }, (_, i) => rest[(i * stride) % rest.length]!);

  note(`Signing in ${n(contended + spread)} residents…`);
  const sessions = await residentSessions(db, contended + spread);
  server = await startServer({
    databaseUrl: database.url,
    port: await freePort(),
    blobDir,
    dataDir,
    secret: 'booking-bench-secret-booking-bench-secret',
  });
  const pid = server.child.pid;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const credentials: ApiCredentials[] = [];
  for (let i = 0; i < sessions.length; i += 64)
    credentials.push(
      ...(await Promise.all(sessions.slice(i, i + 64).map((s) => apiCredentials(agent, server!.baseUrl, s)))),
    );

  note(`(a) ${n(contended)} residents for ${hotSlots} slots, concurrency ${concurrency}…`);
  const a = await measured(pid, () =>
    round(agent, server!.baseUrl, credentials, measure.code, contended, (i) => hot[i % hot.length]!),
  );
  note(`(b) ${n(spread)} residents, each for a different slot…`);
  const b = await measured(pid, () =>
    round(
      agent,
      server!.baseUrl,
      credentials.slice(contended),
      measure.code,
      spread,
      (i) => spreadTargets[i]!,
    ),
  );
  agent.destroy();

  // The check that matters: no slot has two live appointments.
  const doubles = await reception.doubleBookedSlots(db);
  const hotBooked = await db
    .selectFrom('appointments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where(
      'slot_id',
      'in',
      hot.map((h) => h.slotId),
    )
    .where('status', '<>', 'cancelled')
    .executeTakeFirstOrThrow();
  const total = await sql<{
    n: string;
  }>`select count(*) as n from appointments where status <> 'cancelled'`.execute(db);

  out();
  out(
    `Booking over HTTP (POST /me/appointments/new/check, the portal's confirmation), ${offices.length} offices × ${deskCount} desks, ` +
      `${n(opened)} slots opened in ${openSeconds.toFixed(1)} s, ${n(persons)} persons, concurrency ${concurrency}, ` +
      `${durable ? 'durable PostgreSQL (fsync, synchronous_commit on)' : 'bench PostgreSQL (fsync off)'}, ${availableParallelism()} cores`,
  );
  report(`(a) contention: ${n(contended)} residents for the same ${hotSlots} slots`, a.result, a.cpu);
  report(`(b) spread: ${n(spread)} residents, each for a different slot`, b.result, b.cpu);
  out('  check');
  out(`    slots with two live appointments   ${doubles}   (must be 0)`);
  out(`    hot slots booked                   ${hotBooked.n} of ${hotSlots}   (must be ${hotSlots})`);
  out(
    `    live appointments                  ${total.rows[0]?.n}   (bookings answered: ${a.result.booked + b.result.booked})`,
  );
  failed =
    doubles !== 0 ||
    Number(hotBooked.n) !== hotSlots ||
    a.result.booked !== hotSlots ||
    Number(total.rows[0]?.n) !== a.result.booked + b.result.booked;
  if (failed) out('  FAILED: the counts above do not add up');
} finally {
  if (server) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  await db.destroy();
  await database.stop();
  rmSync(blobDir, { recursive: true, force: true });
  rmSync(dataDir, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
