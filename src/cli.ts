// The `opora` command: migrate, seed, worker, serve, start (the demo), users, audit.
import type { FastifyInstance } from 'fastify';
import { allTasks, CRONTAB, createApp } from './app.ts';
import { ensureDemoAccessibilityAudits } from './demo/demo.accessibility.ts';
import { ensureDemoCases } from './demo/demo.cases.ts';
import { ensureDemoRecipients } from './demo/demo.recipients.ts';
import { describeCredentials, ensureDemoAccounts, registryIsEmpty } from './demo/demo.service.ts';
import { ensureDemoSurveys } from './demo/demo.surveys.ts';
import { commandDedup, DEDUP_USAGE } from './modules/dedup/dedup.cli.ts';
import { commandEgisso, EGISSO_USAGE } from './modules/egisso/egisso.cli.ts';
import { districtsByIds } from './modules/geography/geography.service.ts';
import {
  AGENCY_SIM_USAGE,
  commandAgencySim,
  startDemoAgency,
} from './modules/interagency/interagency.cli.ts';
import { startMailSink } from './modules/notifications/notifications.mailsink.ts';
import { accrueMonth } from './modules/registry/ledger.service.ts';
import { findPersonBySnilsDigits, personForResident } from './modules/registry/registry.service.ts';
import { exportRules, importRules } from './modules/rules/rules.service.ts';
import type { StaffRole } from './modules/staff/staff.schema.ts';
import { createStaffUser, listStaffUsers, STAFF_ROLES } from './modules/staff/staff.service.ts';
import { chainPending, startAuditChainer, verifyChain } from './platform/audit/audit.service.ts';
import { parseFlags, positiveInt, UsageError } from './platform/cli/args.ts';
import { progressBar } from './platform/cli/progress.ts';
import { type Config, loadConfig } from './platform/config.ts';
import { openDatabase } from './platform/db/connect.ts';
import { createDb, type Db } from './platform/db/database.ts';
import { migrateToLatest } from './platform/db/migrate.ts';
import { migrateJobQueue, startWorker } from './platform/jobs/jobs.ts';
import { stopInOrder } from './platform/stopping.ts';
import { commandSweep, SWEEP_USAGE } from './proactive.cli.ts';
import { seedRegion } from './seed/seed.service.ts';
import { startEsiaSimulator } from './simulators/esia/esia.simulator.ts';
import { startSmsSimulator } from './simulators/sms/sms.simulator.ts';

const USAGE = `Usage: npm run opora -- <command> [options]

  start                 the demo: database, migrations, seed (first run), identity-provider
                        simulator, worker and web server; prints the demo accounts
  serve [--no-worker]   the web server (runs migrations; the worker too unless --no-worker)
  worker                the background job worker alone
  migrate               apply database migrations
  seed [--persons N] [--seed S] [--reset]
                        build the synthetic region (default 20000 residents; 2500000 = whole region)
  users create --login L --name "Full Name" --role R [--district CODE,...] [--password P]
  users list
  accrue --period YYYY-MM
                        the month's accrual ledger entries (also run on the 1st by the worker)
  rules import [DIR]    load parameters and rule sets from YAML (default rules/); idempotent
  rules export DIR      write parameters and every rule version back to YAML
  esia-sim              the Gosuslugi (ESIA) identity-provider simulator alone
  audit verify          check the audit log's hash chain
${SWEEP_USAGE}
${AGENCY_SIM_USAGE}
${DEDUP_USAGE}
${EGISSO_USAGE}

Roles: ${STAFF_ROLES.join(', ')}
Configuration: DATABASE_URL (else an embedded PostgreSQL under .data/), PORT (3000), HOST,
OPORA_SECRET (required in production), OPORA_DATA_DIR, LOG_LEVEL. See README.md.`;

interface Runtime {
  config: Config;
  db: Db;
  url: string;
  close(): Promise<void>;
}

const log = (line: string) => process.stderr.write(`${line}\n`);

async function openRuntime(): Promise<Runtime> {
  const config = loadConfig();
  const handle = await openDatabase(config, () => {});
  const db = createDb(handle.url);
  return {
    config,
    db,
    url: handle.url,
    close: async () => {
      await db.destroy();
      await handle.close();
    },
  };
}

async function migrate(rt: Runtime): Promise<void> {
  const applied = await migrateToLatest(rt.db);
  await migrateJobQueue(rt.url);
  if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
}

async function seed(rt: Runtime, persons: number, seedValue: number, reset: boolean): Promise<void> {
  const bar = progressBar('Seeding residents');
  const started = Date.now();
  try {
    const summary = await seedRegion(rt.db, rt.url, {
      persons,
      seed: seedValue,
      reset,
      onProgress: (done, total) => bar.update(done, total),
    });
    bar.stop();
    log(
      `Seeded ${summary.persons.toLocaleString('en')} residents in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    bar.stop();
  }
  await loadRules(rt);
}

/** Rule sets live in version control (rules/); importing is idempotent, so every start may do it. */
async function loadRules(rt: Runtime, dir?: string): Promise<void> {
  const imported = await importRules(rt.db, dir);
  if (imported.versions || imported.values) {
    log(`Rules: ${imported.versions} rule versions, ${imported.values} parameter values imported`);
  }
}

async function commandRules(rt: Runtime, args: string[]): Promise<void> {
  const [sub, dir] = args;
  if (sub === 'import') return await loadRules(rt, dir);
  if (sub === 'export' && dir) {
    await exportRules(rt.db, dir);
    log(`Rules written to ${dir}`);
    return;
  }
  throw new UsageError('rules: expected "import [DIR]" or "export DIR"');
}

async function startEsia(rt: Runtime, password: string) {
  const { config, db } = rt;
  return await startEsiaSimulator({
    port: config.oidc.simulatorPort,
    issuer: config.oidc.issuer,
    password,
    clients: [
      {
        client_id: config.oidc.clientId,
        client_secret: config.oidc.clientSecret,
        redirect_uris: [`${config.baseUrl}/auth/esia/callback`],
      },
    ],
    lookupBySnils: async (snils) => {
      const found = await findPersonBySnilsDigits(db, snils);
      if (!found) return undefined;
      const { person: p } = await personForResident(db, found.id);
      return {
        snils: p.snils,
        family_name: p.last_name,
        given_name: p.first_name,
        middle_name: p.patronymic ?? undefined,
        birthdate: p.birth_date,
        gender: p.sex === 'M' ? 'male' : 'female',
        email: p.email ?? undefined,
      };
    },
  });
}

/** Says what arrived, the first few one by one, then every thousandth (a campaign sends thousands). */
function demoLogger(kind: string) {
  let count = 0;
  return (line: string) => {
    count++;
    if (count <= 20) log(`[${kind}] ${line}`);
    else if (count % 1000 === 0) log(`[${kind}] ${count} messages so far`);
  };
}

/**
 * The demo's outgoing channels: the SMS gateway simulator (unless OPORA_SMS_URL names a gateway) and,
 * unless OPORA_SMTP_HOST names a server, a local SMTP sink that keeps and logs every email.
 */
async function startDemoChannels(rt: Runtime): Promise<() => Promise<void>> {
  const closers: Array<() => Promise<void>> = [];
  if (!rt.config.sms) {
    const apiKey = 'opora-demo-sms-key';
    const sms = demoLogger('sms');
    const simulator = await startSmsSimulator({
      port: rt.config.smsSimulatorPort,
      apiKey,
      onMessage: (m) => sms(`${m.to}: ${m.text.slice(0, 100)}`),
    });
    rt.config.sms = { url: simulator.url, apiKey };
    closers.push(simulator.close);
    log(`SMS gateway simulator on ${simulator.url} (GET /messages with X-Api-Key: ${apiKey})`);
  }
  if (!rt.config.smtp) {
    const mail = demoLogger('mail');
    const sink = await startMailSink({ onMessage: (m) => mail(`${m.to.join(', ')}: ${m.subject}`) });
    rt.config.smtp = {
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      user: undefined,
      pass: undefined,
      from: 'Opora (demo) <no-reply@opora.example>',
    };
    closers.push(sink.close);
    log(`Email goes to a local SMTP sink on port ${sink.port} (logged here, not delivered)`);
  }
  return async () => {
    for (const close of closers) await close();
  };
}

async function listen(
  rt: Runtime,
  withWorker: boolean,
): Promise<{ app: FastifyInstance; stop: () => Promise<void> }> {
  const app = await createApp({ config: rt.config, db: rt.db });
  const worker = withWorker
    ? await startWorker({ connectionString: rt.url, tasks: allTasks(rt.db, rt.config), crontab: CRONTAB })
    : undefined;
  await app.listen({ port: rt.config.port, host: rt.config.host });
  const stopChainer = startAuditChainer(rt.db, 1000, (e) =>
    app.log.error({ err: e }, 'audit chain linking failed'),
  );
  return {
    app,
    stop: async () => {
      await app.close();
      await stopChainer();
      await worker?.stop();
    },
  };
}

/** Keeps the process alive until Ctrl+C or SIGTERM, then shuts everything down in order. */
function untilSignal(stop: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = async () => {
      if (stopping) return;
      stopping = true;
      log('Stopping…');
      await stop();
      resolve();
    };
    stopInOrder();
    process.once('SIGINT', handler);
    process.once('SIGTERM', handler);
  });
}

async function commandStart(rt: Runtime, args: string[]): Promise<void> {
  const { values } = parseFlags(args, { persons: { type: 'string' } });
  await migrate(rt);
  if (await registryIsEmpty(rt.db)) await seed(rt, positiveInt('persons', values.persons, 20_000), 1, false);
  else await loadRules(rt);
  const credentials = await ensureDemoAccounts(rt.db, rt.config.dataDir);
  const cases = await ensureDemoCases(rt.db);
  if (cases) log(`Registered ${cases} demo applications in the Volgograd work queue.`);
  const audits = await ensureDemoAccessibilityAudits(rt.db);
  if (audits) log(`Recorded ${audits} demo accessibility audits of offices and portal pages.`);
  const recipients = await ensureDemoRecipients(rt.db);
  if (recipients) log(`Assigned ${recipients} demo support measures to residents of their categories.`);
  const answered = await ensureDemoSurveys(rt.db, rt.config.baseUrl);
  if (answered) log(`Seeded a demo survey wave with ${answered} responses and two coded expert interviews.`);
  const esia = await startEsia(rt, credentials.residentPassword);
  const closeChannels = await startDemoChannels(rt);
  const closeAgency = await startDemoAgency(rt);
  const server = await listen(rt, true);
  log(describeCredentials(credentials, `http://localhost:${rt.config.port}`));
  await untilSignal(async () => {
    await server.stop();
    await esia.close();
    await closeChannels();
    await closeAgency();
  });
}

async function commandUsers(rt: Runtime, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'list') {
    for (const u of await listStaffUsers(rt.db)) {
      const districts = (await districtsByIds(rt.db, u.district_ids)).map((d) => d.code).join(',') || 'all';
      log(
        `${u.login.padEnd(20)} ${u.role.padEnd(18)} ${districts.padEnd(20)} ${u.full_name}${u.is_disabled ? ' (disabled)' : ''}`,
      );
    }
    return;
  }
  if (sub !== 'create') throw new UsageError('users: expected "create" or "list"');
  const { values } = parseFlags(rest, {
    login: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string' },
    district: { type: 'string' },
    password: { type: 'string' },
    email: { type: 'string' },
  });
  if (!values.login || !values.name || !values.role)
    throw new UsageError('users create needs --login, --name and --role');
  const generated = values.password === undefined;
  const password = values.password ?? `${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
  await createStaffUser(rt.db, {
    login: values.login,
    fullName: values.name,
    role: values.role as StaffRole,
    password,
    email: values.email ?? null,
    districtCodes: values.district
      ? values.district
          .split(',')
          .map((d) => d.trim())
          .filter(Boolean)
      : [],
  });
  log(`Created ${values.login} (${values.role})${generated ? `; password: ${password}` : ''}`);
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help') {
    log(USAGE);
    return command ? 0 : 2;
  }
  const rt = await openRuntime();
  try {
    switch (command) {
      case 'start':
        await commandStart(rt, args);
        break;
      case 'serve': {
        const { values } = parseFlags(args, { 'no-worker': { type: 'boolean' } });
        await migrate(rt);
        const server = await listen(rt, !values['no-worker']);
        await untilSignal(server.stop);
        break;
      }
      case 'worker': {
        await migrate(rt);
        const worker = await startWorker({
          connectionString: rt.url,
          tasks: allTasks(rt.db, rt.config),
          crontab: CRONTAB,
        });
        const stopChainer = startAuditChainer(rt.db, 1000, (e) => log(`audit chain linking failed: ${e}`));
        log('Worker running; Ctrl+C to stop.');
        await untilSignal(async () => {
          await stopChainer();
          await worker.stop();
        });
        break;
      }
      case 'migrate':
        await migrate(rt);
        log('Database is up to date.');
        break;
      case 'seed': {
        const { values } = parseFlags(args, {
          persons: { type: 'string' },
          seed: { type: 'string' },
          reset: { type: 'boolean' },
        });
        await migrate(rt);
        await seed(
          rt,
          positiveInt('persons', values.persons, 20_000),
          positiveInt('seed', values.seed, 1),
          Boolean(values.reset),
        );
        break;
      }
      case 'sweep':
        await commandSweep(rt.db, args);
        break;
      case 'users':
        await commandUsers(rt, args);
        break;
      case 'accrue': {
        const { values } = parseFlags(args, { period: { type: 'string' } });
        if (!values.period || !/^\d{4}-(0[1-9]|1[0-2])$/.test(values.period)) {
          throw new UsageError('accrue needs --period YYYY-MM');
        }
        await migrate(rt);
        const { created } = await accrueMonth(rt.db, `${values.period}-01`);
        log(`Accruals for ${values.period}: ${created} created`);
        break;
      }
      case 'rules':
        await migrate(rt);
        await commandRules(rt, args);
        break;
      case 'agency-sim':
        await commandAgencySim(rt, args);
        break;
      case 'dedup':
        await migrate(rt);
        await commandDedup(rt, args);
        break;
      case 'egisso':
        await commandEgisso(rt, args);
        break;
      case 'esia-sim': {
        const credentials = await ensureDemoAccounts(rt.db, rt.config.dataDir);
        const esia = await startEsia(rt, credentials.residentPassword);
        log(`ESIA simulator on ${esia.url}`);
        await untilSignal(() => esia.close());
        break;
      }
      case 'audit': {
        if (args[0] !== 'verify') throw new UsageError('audit: expected "verify"');
        await chainPending(rt.db);
        const verdict = await verifyChain(rt.db);
        log(
          verdict.ok
            ? `Audit chain intact: ${verdict.checked} entries${verdict.unlinked ? ` (${verdict.unlinked} written since, not linked yet)` : ''}`
            : `Audit chain BROKEN at entry ${verdict.brokenAtId}`,
        );
        return verdict.ok ? 0 : 1;
      }
      default:
        throw new UsageError(`Unknown command "${command}"`);
    }
    return 0;
  } finally {
    await rt.close();
  }
}
