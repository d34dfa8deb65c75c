// The reception module's SQL: schedules, desks, slots, appointments and field visits. Only these tables.
import { sql, type Updateable } from 'kysely';
import type { DbOrTrx, Trx } from '../../platform/db/database.ts';
import type { AppointmentStatus, ReceptionTables, ScheduleDays, SignupStatus } from './reception.schema.ts';
import type { SlotRow } from './reception.slots.ts';

// ------------------------------------------------------------ schedules and desks

export async function findSchedule(db: DbOrTrx, officeId: number) {
  return await db
    .selectFrom('reception_schedules')
    .selectAll()
    .where('office_id', '=', officeId)
    .executeTakeFirst();
}

export async function insertScheduleIfMissing(
  trx: Trx,
  officeId: number,
  days: ScheduleDays,
  defaults: { slot_minutes: number; priority_share: number; days_ahead: number },
): Promise<boolean> {
  const inserted = await trx
    .insertInto('reception_schedules')
    .values({ office_id: officeId, days: JSON.stringify(days), ...defaults })
    .onConflict((oc) => oc.column('office_id').doNothing())
    .returning('office_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function updateSchedule(
  trx: Trx,
  officeId: number,
  version: number,
  patch: { days: ScheduleDays; slot_minutes: number; priority_share: number; days_ahead: number },
  staffId: number,
) {
  return await trx
    .updateTable('reception_schedules')
    .set({
      ...patch,
      days: JSON.stringify(patch.days),
      updated_by: staffId,
      updated_at: new Date(),
      version: sql`version + 1`,
    })
    .where('office_id', '=', officeId)
    .where('version', '=', version)
    .returning('version')
    .executeTakeFirst();
}

export async function scheduledOfficeIds(db: DbOrTrx): Promise<number[]> {
  const rows = await db.selectFrom('reception_schedules').select('office_id').execute();
  return rows.map((r) => r.office_id);
}

export async function desksOf(db: DbOrTrx, officeId: number) {
  return await db
    .selectFrom('reception_desks')
    .select(['id', 'office_id', 'name', 'measure_ids'])
    .where('office_id', '=', officeId)
    .where('is_active', '=', true)
    .orderBy('id')
    .execute();
}

export async function findDesk(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('reception_desks')
    .select(['id', 'office_id', 'name', 'measure_ids', 'is_active'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function deskNames(db: DbOrTrx, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('reception_desks').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export async function insertDesk(db: DbOrTrx, officeId: number, name: string, measureIds: number[]) {
  return (
    await db
      .insertInto('reception_desks')
      .values({ office_id: officeId, name, measure_ids: measureIds })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
}

export async function deactivateDesk(trx: Trx, officeId: number, deskId: number): Promise<boolean> {
  const r = await trx
    .updateTable('reception_desks')
    .set({ is_active: false })
    .where('id', '=', deskId)
    .where('office_id', '=', officeId)
    .where('is_active', '=', true)
    .executeTakeFirst();
  return r.numUpdatedRows > 0n;
}

export async function slotLengths(db: DbOrTrx, officeId: number): Promise<Map<number, number>> {
  const rows = await db
    .selectFrom('reception_slot_lengths')
    .select(['measure_id', 'minutes'])
    .where('office_id', '=', officeId)
    .execute();
  return new Map(rows.map((r) => [r.measure_id, r.minutes]));
}

export async function setSlotLength(trx: Trx, officeId: number, measureId: number, minutes: number | null) {
  if (minutes === null) {
    await trx
      .deleteFrom('reception_slot_lengths')
      .where('office_id', '=', officeId)
      .where('measure_id', '=', measureId)
      .execute();
    return;
  }
  await trx
    .insertInto('reception_slot_lengths')
    .values({ office_id: officeId, measure_id: measureId, minutes })
    .onConflict((oc) => oc.columns(['office_id', 'measure_id']).doUpdateSet({ minutes }))
    .execute();
}

// ------------------------------------------------------------ slots

/**
 * Inserts the planned slots; an existing unbooked slot at the same desk and time takes the plan's end
 * and reservation and is reopened. Idempotent: running it twice changes nothing the second time.
 */
export async function upsertSlots(trx: Trx, officeId: number, rows: SlotRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await sql<{ id: number }>`
    insert into slots (office_id, desk_id, starts_at, ends_at, reserved_for_priority)
    select ${officeId}, d, s, e, r
      from unnest(${rows.map((r) => r.deskId)}::int[], ${rows.map((r) => r.startsAt)}::timestamptz[],
                  ${rows.map((r) => r.endsAt)}::timestamptz[], ${rows.map((r) => r.reserved)}::boolean[]) as t(d, s, e, r)
    on conflict (desk_id, starts_at) do update
      set ends_at = excluded.ends_at, reserved_for_priority = excluded.reserved_for_priority, is_open = true
      where (slots.ends_at, slots.reserved_for_priority, slots.is_open)
              is distinct from (excluded.ends_at, excluded.reserved_for_priority, true)
        and not exists (select 1 from appointments a where a.slot_id = slots.id and a.status <> 'cancelled')
    returning id`.execute(trx);
  return result.rows.length;
}

/** Closes the office's open slots from `from` on that the plan no longer has (booked ones keep their booking). */
export async function closeSlotsNotIn(
  trx: Trx,
  officeId: number,
  from: Date,
  rows: SlotRow[],
): Promise<number> {
  const result = await sql`
    update slots set is_open = false
     where office_id = ${officeId} and is_open and starts_at >= ${from}
       and (desk_id, starts_at) not in (
         select d, s from unnest(${rows.map((r) => r.deskId)}::int[], ${rows.map((r) => r.startsAt)}::timestamptz[]) as t(d, s))`.execute(
    trx,
  );
  return Number(result.numAffectedRows ?? 0n);
}

/** Serialises opening slots at one office (two runs at once would only repeat each other's work). */
export async function lockOfficeSlots(trx: Trx, officeId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('reception:slots'), ${officeId})`.execute(trx);
}

export async function findSlot(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('slots as s')
    .innerJoin('reception_desks as d', 'd.id', 's.desk_id')
    .select([
      's.id',
      's.office_id',
      's.desk_id',
      's.starts_at',
      's.ends_at',
      's.reserved_for_priority',
      's.is_open',
      'd.measure_ids',
      'd.is_active as desk_active',
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

export interface FreeSlotQuery {
  officeId: number;
  measureId: number;
  from: Date;
  to: Date;
  /** Reserved slots are offered when the person has priority, or when they start before this instant. */
  priority: boolean;
  reservedOpenBefore: Date;
}

/** Open, unbooked slots of desks serving the measure; the earliest per start time. */
export async function freeSlots(db: DbOrTrx, q: FreeSlotQuery) {
  return await db
    .selectFrom('slots as s')
    .innerJoin('reception_desks as d', 'd.id', 's.desk_id')
    .select(['s.id', 's.desk_id', 's.starts_at', 's.ends_at', 's.reserved_for_priority'])
    .where('s.office_id', '=', q.officeId)
    .where('s.is_open', '=', true)
    .where('d.is_active', '=', true)
    .where('s.starts_at', '>', q.from)
    .where('s.starts_at', '<', q.to)
    .where(sql<boolean>`(cardinality(d.measure_ids) = 0 or ${q.measureId} = any(d.measure_ids))`)
    .where((eb) =>
      q.priority
        ? sql<boolean>`true`
        : eb.or([eb('s.reserved_for_priority', '=', false), eb('s.starts_at', '<', q.reservedOpenBefore)]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('appointments as a')
            .select(sql`1`.as('one'))
            .whereRef('a.slot_id', '=', 's.id')
            .where('a.status', '<>', 'cancelled'),
        ),
      ),
    )
    .orderBy('s.starts_at')
    .orderBy('s.reserved_for_priority')
    .orderBy('s.id')
    .execute();
}

export async function slotCounts(db: DbOrTrx, officeId: number) {
  return await db
    .selectFrom('slots')
    .select([(eb) => eb.fn.countAll<number>().as('n')])
    .where('office_id', '=', officeId)
    .where('is_open', '=', true)
    .executeTakeFirstOrThrow();
}

// ------------------------------------------------------------ appointments

const appointmentColumns = [
  'a.id',
  'a.slot_id',
  'a.office_id',
  'a.day',
  'a.person_id',
  'a.measure_id',
  'a.channel',
  'a.status',
  'a.priority',
  'a.ticket',
  'a.desk_id',
  'a.created_by_staff',
  'a.application_id',
  'a.reminded_at',
  'a.checked_in_at',
  'a.called_at',
  'a.served_at',
  'a.created_at',
  'a.version',
  's.starts_at',
  's.ends_at',
] as const;

export type AppointmentRow = NonNullable<Awaited<ReturnType<typeof findAppointment>>>;

export async function findAppointment(db: DbOrTrx, id: number) {
  return await db
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .select(appointmentColumns)
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function appointmentIdByKey(db: DbOrTrx, key: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('appointments')
    .select('id')
    .where('booking_key', '=', key)
    .executeTakeFirst();
  return row?.id;
}

export async function appointmentsOfPerson(db: DbOrTrx, personId: number) {
  return await db
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .select(appointmentColumns)
    .where('a.person_id', '=', personId)
    .orderBy('s.starts_at', 'desc')
    .execute();
}

export interface NewAppointment {
  slot_id: number;
  office_id: number;
  day: string;
  person_id: number;
  measure_id: number;
  channel: ReceptionTables['appointments']['channel'];
  priority: boolean;
  created_by_staff: number | null;
  booking_key: string;
}

export async function savepoint(trx: Trx): Promise<void> {
  await sql`savepoint booking`.execute(trx);
}

export async function rollbackToSavepoint(trx: Trx): Promise<void> {
  await sql`rollback to savepoint booking`.execute(trx);
}

/** The booking itself: one INSERT. A taken slot fails on appointments_slot_live; a repeated key returns undefined. */
export async function insertAppointment(trx: Trx, row: NewAppointment): Promise<number | undefined> {
  const inserted = await trx
    .insertInto('appointments')
    .values(row)
    .onConflict((oc) => oc.column('booking_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted?.id;
}

export async function updateAppointment(
  trx: Trx,
  id: number,
  version: number,
  patch: Updateable<ReceptionTables['appointments']>,
  from?: readonly AppointmentStatus[],
) {
  let q = trx
    .updateTable('appointments')
    .set({ ...patch, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version);
  if (from) q = q.where('status', 'in', from);
  return await q.returning(['id', 'version']).executeTakeFirst();
}

/** Marks the reminder sent, once: only a booked appointment not yet reminded. */
export async function claimReminder(trx: Trx, id: number) {
  return await trx
    .updateTable('appointments')
    .set({ reminded_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'booked')
    .where('reminded_at', 'is', null)
    .returning(['id'])
    .executeTakeFirst();
}

export async function dayAppointments(db: DbOrTrx, officeId: number, day: string) {
  return await db
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .select(appointmentColumns)
    .where('a.office_id', '=', officeId)
    .where('a.day', '=', day)
    .where('a.status', '<>', 'cancelled')
    .orderBy('s.starts_at')
    .orderBy('a.id')
    .execute();
}

/** Serialises ticket numbering at one office (the advisory lock ends with the transaction). */
export async function lockOfficeTickets(trx: Trx, officeId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext('reception:tickets'), ${officeId})`.execute(trx);
}

export async function ticketsIssued(trx: Trx, officeId: number, day: string): Promise<number> {
  const row = await trx
    .selectFrom('appointments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('office_id', '=', officeId)
    .where('day', '=', day)
    .where('ticket', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The next checked-in person for a desk: priority first, then booked time; locked so two desks never call the same. */
export async function nextCheckedIn(trx: Trx, officeId: number, day: string, measureIds: number[] | 'all') {
  let q = trx
    .selectFrom('appointments as a')
    .innerJoin('slots as s', 's.id', 'a.slot_id')
    .select(['a.id', 'a.version'])
    .where('a.office_id', '=', officeId)
    .where('a.day', '=', day)
    .where('a.status', '=', 'checked_in');
  if (measureIds !== 'all') q = q.where('a.measure_id', 'in', measureIds.length ? measureIds : [-1]);
  return await q
    .orderBy('a.priority', 'desc')
    .orderBy('s.starts_at')
    .orderBy('a.checked_in_at')
    .limit(1)
    .forUpdate('a')
    .skipLocked()
    .executeTakeFirst();
}

/** Appointments still "booked" whose slot has ended before `before`. */
export async function markNoShows(db: DbOrTrx, before: Date): Promise<number> {
  const result = await sql`
    update appointments a set status = 'no_show', updated_at = now(), version = version + 1
      from slots s
     where s.id = a.slot_id and a.status = 'booked' and s.ends_at < ${before}`.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}

/** Ticket numbers only (never names): the tickets being called and those waiting, for the hall screen. */
export async function queueTickets(db: DbOrTrx, officeId: number, day: string) {
  return await db
    .selectFrom('appointments as a')
    .leftJoin('reception_desks as d', 'd.id', 'a.desk_id')
    .select(['a.ticket', 'a.status', 'a.priority', 'a.called_at', 'a.checked_in_at', 'd.name as desk'])
    .where('a.office_id', '=', officeId)
    .where('a.day', '=', day)
    .where('a.status', 'in', ['checked_in', 'called'])
    .where('a.ticket', 'is not', null)
    .orderBy('a.called_at', 'desc')
    .orderBy('a.priority', 'desc')
    .orderBy('a.checked_in_at')
    .execute();
}

/** Every live appointment ever booked on one slot: for the benchmark's and tests' double-booking check. */
export async function doubleBookedSlots(db: DbOrTrx): Promise<number> {
  const result = await sql<{ n: string }>`
    select count(*) as n from (
      select slot_id from appointments where status <> 'cancelled' group by slot_id having count(*) > 1) x`.execute(
    db,
  );
  return Number(result.rows[0]?.n ?? 0);
}

// ------------------------------------------------------------ field visits

export async function insertVisit(
  trx: Trx,
  v: {
    district_id: number;
    visit_on: string;
    route: string;
    team_note: string;
    settlement_ids: number[];
    created_by: number;
  },
) {
  return (await trx.insertInto('field_visits').values(v).returning('id').executeTakeFirstOrThrow()).id;
}

export async function findVisit(db: DbOrTrx, id: number) {
  return await db.selectFrom('field_visits').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockVisit(trx: Trx, id: number) {
  return await trx.selectFrom('field_visits').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export async function visitsOfDistricts(db: DbOrTrx, districtIds: number[] | 'all', from: string) {
  let q = db
    .selectFrom('field_visits as v')
    .select([
      'v.id',
      'v.district_id',
      'v.visit_on',
      'v.route',
      'v.settlement_ids',
      (eb) =>
        eb
          .selectFrom('field_visit_signups as f')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('f.visit_id', '=', 'v.id')
          .where('f.status', '<>', 'cancelled')
          .as('signups'),
    ])
    .where('v.visit_on', '>=', from)
    .orderBy('v.visit_on')
    .orderBy('v.id');
  if (districtIds !== 'all') q = q.where('v.district_id', 'in', districtIds.length ? districtIds : [-1]);
  return await q.execute();
}

export async function signupsOf(db: DbOrTrx, visitId: number) {
  return await db
    .selectFrom('field_visit_signups')
    .selectAll()
    .where('visit_id', '=', visitId)
    .orderBy('position')
    .execute();
}

export async function findSignup(db: DbOrTrx, id: number) {
  return await db.selectFrom('field_visit_signups').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function nextPosition(trx: Trx, visitId: number): Promise<number> {
  const row = await trx
    .selectFrom('field_visit_signups')
    .select((eb) => eb.fn.max('position').as('p'))
    .where('visit_id', '=', visitId)
    .executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}

export async function insertSignup(
  trx: Trx,
  s: {
    visit_id: number;
    person_id: number;
    settlement_id: number;
    position: number;
    at_time: string | null;
    measure_id: number;
    created_by_staff: number;
  },
) {
  return (await trx.insertInto('field_visit_signups').values(s).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateSignup(
  trx: Trx,
  id: number,
  version: number,
  patch: { status?: SignupStatus; application_id?: number | null },
) {
  return await trx
    .updateTable('field_visit_signups')
    .set({ ...patch, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .returning(['id'])
    .executeTakeFirst();
}
