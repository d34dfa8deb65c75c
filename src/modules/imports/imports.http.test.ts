// Imports over HTTP with the cookie-jar client: upload → preview (errors: nothing written), a valid
// file → confirm → the job → every row in the registry; a write that fails midway → nothing written,
// the import failed with its reason; progress visible while the data transaction is still open.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { startTestApp } from '../../../test/support/app.ts';
import { PASSWORD, seedSmallRegion, staffUser } from '../../../test/support/fixtures.ts';
import { Client, text } from '../../../test/support/http.ts';
import { allTasks } from '../../app.ts';
import { blobStore } from '../../platform/storage/storage.service.ts';
import { createAssignmentsInBulk } from '../registry/assignments.import.ts';
import { assignmentEvents, createAssignment } from '../registry/assignments.service.ts';
import { snilsChecksum } from '../registry/snils.ts';
import { SHEETS } from './imports.columns.ts';
import { runImport } from './imports.service.ts';

const { baseUrl, db, database, config } = await startTestApp();
await seedSmallRegion(database, 200);
await staffUser(db, 'spec.volgograd', 'specialist', ['volgograd']);
await staffUser(db, 'spec.olkhovsky', 'specialist', ['olkhovsky']);
await staffUser(db, 'analyst', 'ministry_analyst');
const store = blobStore(config);
const PAGE = '/staff/registry/imports';

const volgograd = await db
  .selectFrom('districts')
  .select('id')
  .where('code', '=', 'volgograd')
  .executeTakeFirstOrThrow();
const settlement = await db
  .selectFrom('settlements')
  .select('name_ru')
  .where('district_id', '=', volgograd.id)
  .executeTakeFirstOrThrow();
const known = await db
  .selectFrom('persons')
  .select(['id', 'snils', 'last_name', 'address'])
  .where('district_id', '=', volgograd.id)
  .orderBy('id')
  .executeTakeFirstOrThrow();
const measure = await db
  .selectFrom('measures')
  .select(['id', 'code'])
  .where('code', '=', 'VETERAN-EDV')
  .executeTakeFirstOrThrow();

let next = 700_000_000;
/** A fresh valid SNILS no seeded person has. */
function newSnils(): string {
  for (;;) {
    const nine = String(next++);
    const s = `${nine}${snilsChecksum(nine)}`;
    if (s !== known.snils) return s;
  }
}

async function signIn(login: string): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.submit('/staff/sign-in', '/staff/sign-in', { login, password: PASSWORD });
  assert.equal(response.status, 303, `sign-in of ${login}`);
  return client;
}

const HEAD = 'СНИЛС;Фамилия;Имя;Отчество;Дата рождения;Пол;Код района;Населённый пункт;Адрес';
const resident = (snils: string, last = 'Новиков', district = 'volgograd') =>
  `${snils};${last};Иван;Петрович;05.03.1958;М;${district};${settlement.name_ru};ул. Садовая, 1`;

async function upload(client: Client, kind: string, name: string, bytes: Buffer) {
  return await client.upload(PAGE, PAGE, { kind }, { file: { name, bytes } });
}

const personCount = async () =>
  Number(
    (
      await db
        .selectFrom('persons')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );
const importId = (location: string | null) => Number(/\/imports\/(\d+)$/.exec(location ?? '')?.[1]);
const statusOf = async (id: number) =>
  await db.selectFrom('imports').select(['status', 'failure']).where('id', '=', id).executeTakeFirstOrThrow();

describe('imports over HTTP', () => {
  test('only specialists, district heads and administrators may open the page', async () => {
    const specialist = await signIn('spec.volgograd');
    const page = await specialist.get(PAGE);
    assert.equal(page.status, 200);
    assert.match(text(page.body), /Загрузка файлов районов в реестр/);
    assert.equal((await (await signIn('analyst')).get(PAGE)).status, 403);
    assert.equal((await new Client(baseUrl).get(PAGE)).status, 303);
  });

  test('templates download in both formats', async () => {
    const specialist = await signIn('spec.volgograd');
    const csv = await specialist.get(`${PAGE}/templates/residents.csv`);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-disposition') ?? '', /residents\.csv/);
    assert.match(csv.body, /^\uFEFF?СНИЛС;Фамилия;Имя/);
    const xlsx = await fetch(`${baseUrl}${PAGE}/templates/assignments.xlsx`, {
      headers: { cookie: `opora_session=${specialist.cookie('opora_session')}` },
    });
    assert.equal(xlsx.status, 200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    assert.deepEqual(
      workbook.worksheets.map((w) => w.name),
      [SHEETS.assignments, SHEETS.notes],
    );
    assert.equal((await specialist.get(`${PAGE}/templates/other.csv`)).status, 404);
  });

  test('bad files are refused on the form, nothing stored', async () => {
    const specialist = await signIn('spec.volgograd');
    const before = await db.selectFrom('imports').select('id').execute();
    const big = await upload(specialist, 'residents', 'big.csv', Buffer.alloc(50 * 1024 * 1024, 0x41));
    assert.equal(big.status, 413);
    assert.match(text(big.body), /Файл больше 10 МБ/);
    const empty = await upload(specialist, 'residents', 'empty.csv', Buffer.alloc(0));
    assert.equal(empty.status, 422);
    const pdf = await upload(specialist, 'residents', 'table.csv', Buffer.from('%PDF-1.7\n...'));
    assert.equal(pdf.status, 422);
    assert.match(text(pdf.body), /Это не CSV и не XLSX/);
    const headers = await upload(
      specialist,
      'residents',
      'wrong.csv',
      Buffer.from(`СНИЛС;Фамилия;Имя;Дата;Пол;Код района;Адрес;Возраст\n1;2;3;4;5;6;7;8\n`),
    );
    assert.equal(headers.status, 422);
    assert.match(
      text(headers.body),
      /Нет обязательных столбцов: Дата рождения\. Неизвестные столбцы: Дата, Возраст/,
    );
    const noKind = await upload(specialist, '', 'a.csv', Buffer.from(`${HEAD}\n${resident(newSnils())}\n`));
    assert.equal(noKind.status, 422);
    assert.match(text(noKind.body), /Выберите, что в файле/);
    assert.deepEqual(await db.selectFrom('imports').select('id').execute(), before);
  });

  test('a file with errors: the preview lists them by row and column, nothing is written', async () => {
    const specialist = await signIn('spec.volgograd');
    const before = await personCount();
    const rows = [
      resident(newSnils()),
      resident('123-456-789 00'),
      resident(newSnils(), 'Чужой', 'olkhovsky'),
    ];
    const response = await upload(
      specialist,
      'residents',
      'district.csv',
      Buffer.from(`${HEAD}\n${rows.join('\n')}\n`),
    );
    assert.equal(response.status, 303);
    const id = importId(response.location);
    const preview = text((await specialist.follow(response)).body);
    assert.match(preview, /Ошибок 2/);
    assert.match(preview, /3 СНИЛС Контрольное число СНИЛС не сходится/);
    assert.match(preview, /4 Код района Район «Ольховский муниципальный район» не ваш/);
    assert.doesNotMatch(preview, /Записать в реестр/);
    const confirm = await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {});
    assert.equal(confirm.status, 409);
    assert.equal((await statusOf(id)).status, 'preview');
    assert.equal(await personCount(), before);
    // The other district's specialist may not open it; the refusal is audited.
    assert.equal((await (await signIn('spec.olkhovsky')).get(`${PAGE}/${id}`)).status, 403);
    const denied = await db
      .selectFrom('audit_log')
      .select('action')
      .where('action', '=', 'import.read.denied')
      .execute();
    assert.equal(denied.length, 1);
  });

  test('a valid XLSX: preview, confirm, the job writes every row; running it again does nothing', async () => {
    const specialist = await signIn('spec.volgograd');
    const fresh = [newSnils(), newSnils(), newSnils()];
    const workbook = new ExcelJS.Workbook();
    const people = workbook.addWorksheet(SHEETS.residents);
    people.addRow([...HEAD.split(';'), 'Телефон']);
    for (const s of fresh) people.addRow([...resident(s).split(';'), '8 (912) 000-11-22']);
    people.addRow([...resident(known.snils, 'Обновлённая').split(';'), '']);
    const given = workbook.addWorksheet(SHEETS.assignments);
    given.addRow(['СНИЛС', 'Код меры', 'Размер', 'Дата начала', 'Дата окончания']);
    given.addRow([fresh[0], measure.code, 1250.5, '01.01.2026', '31.12.2026']);
    given.addRow([fresh[1], measure.code, '900', '2026-02-01', '']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const before = await personCount();

    const response = await upload(specialist, 'residents', 'Район.xlsx', bytes);
    assert.equal(response.status, 303);
    const id = importId(response.location);
    const preview = text((await specialist.follow(response)).body);
    assert.match(preview, /Строк в файле 6/);
    assert.match(preview, /Новых жителей 3/);
    assert.match(preview, /Обновлений жителей 1/);
    assert.match(preview, /Новых назначений 2/);
    assert.match(preview, /Ошибок 0/);
    assert.match(preview, /Первые строки, как они будут записаны/);
    assert.match(preview, /обновится/);

    const confirmed = await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {});
    assert.equal(confirmed.status, 303);
    const { rows: jobs } = await sql<{ identifier: string; payload: { importId: number } }>`
      select t.identifier, j.payload from graphile_worker._private_jobs j
        join graphile_worker._private_tasks t on t.id = j.task_id where t.identifier = 'imports:run'`.execute(
      db,
    );
    assert.deepEqual(
      jobs.map((j) => j.payload.importId),
      [id],
    );
    const queued = await specialist.get(`${PAGE}/${id}`);
    assert.match(queued.body, /<progress/);
    assert.match(queued.body, /<meta http-equiv="refresh" content="3"/);
    assert.match(text(queued.body), /Не обновлять страницу/);
    assert.doesNotMatch((await specialist.get(`${PAGE}/${id}?refresh=off`)).body, /http-equiv="refresh"/);
    assert.equal(await personCount(), before, 'nothing is written before the job runs');

    const result = await runImport(db, store, id); // what the worker does
    assert.deepEqual(result, { inserted: 3, updated: 1, unchanged: 0, assignments: 2 });
    assert.equal(await personCount(), before + 3);
    const written = await db
      .selectFrom('persons')
      .select(['snils', 'last_name', 'phone', 'district_id'])
      .where('snils', 'in', fresh)
      .orderBy('snils')
      .execute();
    assert.deepEqual(
      written.map((p) => [p.snils, p.last_name, p.phone, p.district_id]),
      fresh.map((s) => [s, 'Новиков', '+79120001122', volgograd.id]),
    );
    const updated = await db
      .selectFrom('persons')
      .select(['last_name', 'address'])
      .where('id', '=', known.id)
      .executeTakeFirstOrThrow();
    assert.equal(updated.last_name, 'Обновлённая');
    const history = await db
      .selectFrom('registry_history')
      .select('old_row')
      .where('table_name', '=', 'persons')
      .where('row_id', '=', known.id)
      .execute();
    assert.equal(history.length, 1, 'the update is in the registry history');
    assert.equal(history[0]!.old_row.last_name, known.last_name);
    const assigned = await db
      .selectFrom('assignments as a')
      .innerJoin('persons as p', 'p.id', 'a.person_id')
      .select(['p.snils', 'a.amount', 'a.start_date', 'a.end_date', 'a.basis'])
      .where('p.snils', 'in', fresh)
      .orderBy('p.snils')
      .execute();
    assert.deepEqual(assigned, [
      {
        snils: fresh[0],
        amount: 1250.5,
        start_date: '2026-01-01',
        end_date: '2026-12-31',
        basis: 'application',
      },
      { snils: fresh[1], amount: 900, start_date: '2026-02-01', end_date: null, basis: 'application' },
    ]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_kind', '=', 'import')
      .where('subject_id', '=', String(id))
      .where('action', 'in', ['import.uploaded', 'import.confirmed', 'import.done'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.action),
      ['import.uploaded', 'import.confirmed', 'import.done'],
    );
    assert.match(String(audit[0]!.details.sha256), /^[0-9a-f]{64}$/);

    const done = text((await specialist.get(`${PAGE}/${id}`)).body);
    assert.match(done, /Файл записан в реестр/);
    assert.match(done, /Добавлено жителей 3/);
    assert.match(done, /Создано назначений 2/);
    const json = JSON.parse((await specialist.get(`${PAGE}/${id}/progress.json`)).body);
    assert.deepEqual([json.status, json.processed, json.total], ['done', 6, 6]);

    assert.equal(await runImport(db, store, id), null, 'a second run does nothing');
    assert.equal(await personCount(), before + 3);
    // A second confirmation (a double click) changes nothing either.
    assert.equal((await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {})).status, 303);
    assert.equal((await statusOf(id)).status, 'done');
    const { rows: again } = await sql`
      select 1 from graphile_worker._private_jobs j join graphile_worker._private_tasks t on t.id = j.task_id
       where t.identifier = 'imports:run'`.execute(db);
    assert.equal(again.length, 1, 'no second job');
  });

  test('a write that fails midway rolls everything back and marks the import failed', async () => {
    const specialist = await signIn('spec.volgograd');
    const doomed = newSnils();
    const fresh = [newSnils(), newSnils(), doomed];
    const response = await upload(
      specialist,
      'residents',
      'conflict.csv',
      Buffer.from(
        `${HEAD}\n${fresh.map((s) => resident(s)).join('\n')}\n${resident(known.snils, 'Другая')}\n`,
      ),
    );
    const id = importId(response.location);
    assert.equal((await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {})).status, 303);
    const before = await personCount();
    const lastName = (
      await db.selectFrom('persons').select('last_name').where('id', '=', known.id).executeTakeFirstOrThrow()
    ).last_name;
    // A conflict injected into the write: the database refuses one of the rows.
    await sql`
      create function refuse_doomed() returns trigger language plpgsql as $$
      begin
        if new.snils = ${sql.lit(doomed)} then raise exception 'conflict injected for the test'; end if;
        return new;
      end $$;
      create trigger refuse_doomed before insert on persons for each row execute function refuse_doomed();
    `.execute(db);
    try {
      assert.equal(await runImport(db, store, id), null);
    } finally {
      await sql`drop trigger refuse_doomed on persons; drop function refuse_doomed();`.execute(db);
    }
    assert.equal(await personCount(), before, 'no row of the file was written');
    const still = await db
      .selectFrom('persons')
      .select('last_name')
      .where('id', '=', known.id)
      .executeTakeFirstOrThrow();
    assert.equal(still.last_name, lastName, 'the update of the existing person rolled back too');
    const { status, failure } = await statusOf(id);
    assert.equal(status, 'failed');
    assert.match(failure ?? '', /conflict injected/);
    const page = text((await specialist.get(`${PAGE}/${id}`)).body);
    assert.match(page, /Файл не записан/);
    assert.match(page, /В реестр из этого файла не записано ничего/);
    assert.match(page, /Не удалось записать строку 2: conflict injected for the test/);
    assert.equal(await runImport(db, store, id), null, 'a failed import is not retried');
  });

  test('the registry changed after the preview: the job checks again, writes nothing, lists the errors', async () => {
    const specialist = await signIn('spec.volgograd');
    const s = newSnils();
    const response = await upload(
      specialist,
      'residents',
      'stale.csv',
      Buffer.from(`${HEAD}\n${resident(s)}\n`),
    );
    const id = importId(response.location);
    await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {});
    // Meanwhile the person is moved to another district by someone else.
    const other = await db
      .selectFrom('districts')
      .select('id')
      .where('code', '=', 'olkhovsky')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('persons')
      .values({
        snils: s,
        last_name: 'Раньше',
        first_name: 'Успел',
        patronymic: null,
        birth_date: '1960-01-01',
        sex: 'M',
        district_id: other.id,
        address: 'с. Ольховка',
      })
      .execute();
    assert.equal(await runImport(db, store, id), null);
    assert.equal((await statusOf(id)).status, 'failed');
    const page = text((await specialist.get(`${PAGE}/${id}`)).body);
    assert.match(page, /реестр изменился/);
    assert.match(page, /2 СНИЛС Житель с этим СНИЛС числится в районе «Ольховский муниципальный район»/);
    const kept = await db
      .selectFrom('persons')
      .select('last_name')
      .where('snils', '=', s)
      .executeTakeFirstOrThrow();
    assert.equal(kept.last_name, 'Раньше');
  });

  test('an assignment file whose assignment already exists in the registry is refused by row', async () => {
    const specialist = await signIn('spec.volgograd');
    await db.transaction().execute((trx) =>
      createAssignment(trx, {
        personId: known.id,
        measureId: measure.id,
        basis: 'application',
        amount: 100,
        startDate: '2025-01-01',
        ruleVersionId: null,
        parameters: {},
        actorId: null,
      }),
    );
    const response = await upload(
      specialist,
      'assignments',
      'given.csv',
      Buffer.from(
        `СНИЛС,Код меры,Размер,Дата начала,Дата окончания\n${known.snils},${measure.code},100,01.03.2026,\n`,
      ),
    );
    const page = text((await specialist.follow(response)).body);
    assert.match(page, /2 Код меры У жителя уже есть назначение этой меры на эти даты/);
  });

  test('bulk assignments keep the rules of createAssignment: events, and no second live one', async () => {
    const [first] = await db
      .selectFrom('persons')
      .select('id')
      .where('district_id', '=', volgograd.id)
      .where('id', '<>', known.id)
      .orderBy('id')
      .limit(1)
      .execute();
    const other = await db
      .selectFrom('measures')
      .select('id')
      .where('code', '=', 'CHILD-BENEFIT')
      .executeTakeFirstOrThrow();
    const base = {
      basis: 'application' as const,
      ruleVersionId: null,
      parameters: { import_id: 0 },
      actorId: null,
    };
    const ids = await db.transaction().execute((trx) =>
      createAssignmentsInBulk(trx, [
        {
          ...base,
          personId: first!.id,
          measureId: other.id,
          amount: 10,
          startDate: '2026-01-01',
          endDate: '2026-06-30',
        },
        {
          ...base,
          personId: first!.id,
          measureId: other.id,
          amount: 20,
          startDate: '2026-07-01',
          endDate: null,
        },
      ]),
    );
    assert.equal(ids.length, 2);
    const events = await assignmentEvents(db, ids);
    assert.deepEqual(
      events.map((e) => [e.kind, e.details.amount, e.details.start_date]),
      [
        ['created', 10, '2026-01-01'],
        ['created', 20, '2026-07-01'],
      ],
    );
    await assert.rejects(
      db.transaction().execute((trx) =>
        createAssignmentsInBulk(trx, [
          {
            ...base,
            personId: first!.id,
            measureId: other.id,
            amount: 5,
            startDate: '2027-01-01',
            endDate: null,
          },
        ]),
      ),
      (e: Error & { code?: string }) => e.code === 'duplicate_assignment',
    );
  });

  test('a header written differently still finds the person behind the SNILS, and their district', async () => {
    const specialist = await signIn('spec.volgograd');
    const other = await db
      .selectFrom('persons as p')
      .innerJoin('districts as d', 'd.id', 'p.district_id')
      .select('p.snils')
      .where('d.code', '=', 'olkhovsky')
      .executeTakeFirstOrThrow();
    const head = HEAD.replace('СНИЛС', 'снилс*');
    const response = await upload(
      specialist,
      'residents',
      'star.csv',
      Buffer.from(`${head}\n${resident(other.snils)}\n`),
    );
    const page = text((await specialist.follow(response)).body);
    assert.match(page, /2 снилс\* Житель с этим СНИЛС числится в районе «Ольховский муниципальный район»/);
  });

  test('the worker task writes a confirmed import, with the app configuration', async () => {
    const specialist = await signIn('spec.volgograd');
    const s = newSnils();
    const response = await upload(
      specialist,
      'residents',
      'task.csv',
      Buffer.from(`${HEAD}\n${resident(s)}\n`),
    );
    const id = importId(response.location);
    await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {});
    const task = allTasks(db, config)['imports:run']!;
    const logged: string[] = [];
    const helpers = { logger: { info: (m: string) => logged.push(m) } };
    await task({ importId: id }, helpers as never);
    assert.equal((await statusOf(id)).status, 'done');
    assert.match(logged.join(), /1 new/);
    await task({ importId: id }, helpers as never);
    assert.match(logged.join(), /nothing written/);
  });

  test('progress is visible while the data transaction is still open', async () => {
    const specialist = await signIn('spec.volgograd');
    const rows = Array.from({ length: 1500 }, () => resident(newSnils()));
    const last = rows.length - 1;
    const blocker = /^(\d{11});/.exec(rows[last]!)![1]!;
    const response = await upload(
      specialist,
      'residents',
      'big.csv',
      Buffer.from(`${HEAD}\n${rows.join('\n')}\n`),
    );
    const id = importId(response.location);
    await specialist.submit(`${PAGE}/${id}`, `${PAGE}/${id}/confirm`, {});
    // The second chunk of the write waits on a lock this test holds, so the job stops midway.
    const holder = await database.db.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(4242)`.execute(conn);
      await sql`
        create function wait_for_test() returns trigger language plpgsql as $$
        begin
          if new.snils = ${sql.lit(blocker)} then perform pg_advisory_xact_lock_shared(4242); end if;
          return new;
        end $$;
        create trigger wait_for_test before insert on persons for each row execute function wait_for_test();
      `.execute(conn);
      const before = await personCount();
      const running = runImport(db, store, id);
      let seen = 0;
      for (let i = 0; i < 600 && seen < 1000; i++) {
        seen = JSON.parse((await specialist.get(`${PAGE}/${id}/progress.json`)).body).processed;
        if (seen < 1000) await new Promise((r) => setTimeout(r, 50));
      }
      assert.equal(seen, 1000, 'the first thousand rows are reported');
      const page = await specialist.get(`${PAGE}/${id}`);
      assert.match(
        page.body,
        /<progress[^>]*max="1500"[^>]*value="1000"|<progress[^>]*value="1000"[^>]*max="1500"/,
      );
      assert.match(text(page.body), /1\s000 из 1\s500/);
      assert.equal(await personCount(), before, 'none of them is visible yet');
      await sql`select pg_advisory_unlock(4242)`.execute(conn);
      const result = await running;
      await sql`drop trigger wait_for_test on persons; drop function wait_for_test();`.execute(conn);
      return { before, result };
    });
    assert.equal(holder.result?.inserted, 1500);
    assert.equal(await personCount(), holder.before + 1500);
  });
});
