// What the quality indicators read from reception: waiting time to an appointment (priority vs others),
// the nearest free slot per office, and residents served by field visits. Small tables read live.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import { REGION_TIME_ZONE } from '../../platform/time.ts';

export interface AppointmentWait {
  districtId: number;
  measureId: number;
  priority: boolean;
  month: string; // 'YYYY-MM'
  /** Appointments that took place or were due (not cancelled) and the calendar days from booking to the day. */
  appointments: number;
  waitDays: number[];
}

/** Appointments on days in [from, toExclusive), not cancelled: calendar days from booking to the day. */
export async function appointmentWaits(
  db: DbOrTrx,
  from: string,
  toExclusive: string,
  filter: { districtId?: number; measureId?: number } = {},
): Promise<AppointmentWait[]> {
  const { rows } = await sql<AppointmentWait>`
    select o.district_id as "districtId", a.measure_id as "measureId", a.priority,
           to_char(a.day, 'YYYY-MM') as month, count(*)::int as appointments,
           array_agg(a.day - (a.created_at at time zone ${REGION_TIME_ZONE})::date) as "waitDays"
      from appointments a join offices o on o.id = a.office_id
     where a.day >= ${from}::date and a.day < ${toExclusive}::date and a.status <> 'cancelled'
       ${filter.districtId === undefined ? sql`` : sql`and o.district_id = ${filter.districtId}`}
       ${filter.measureId === undefined ? sql`` : sql`and a.measure_id = ${filter.measureId}`}
     group by 1, 2, 3, 4`.execute(db);
  return rows;
}

export interface NearestFreeSlot {
  officeId: number;
  districtId: number;
  /** Calendar days from today to the first free slot open to anyone; null when none is open. */
  days: number | null;
}

/** Per office: days from `now` to the nearest open slot that nobody holds (priority-reserved ones excluded). */
export async function nearestFreeSlots(
  db: DbOrTrx,
  now: Date,
  filter: { districtId?: number } = {},
): Promise<NearestFreeSlot[]> {
  const { rows } = await sql<NearestFreeSlot>`
    select o.id as "officeId", o.district_id as "districtId",
           (select (s.starts_at at time zone ${REGION_TIME_ZONE})::date
                   - (${now}::timestamptz at time zone ${REGION_TIME_ZONE})::date
              from slots s
             where s.office_id = o.id and s.is_open and not s.reserved_for_priority and s.starts_at > ${now}
               and not exists (select 1 from appointments a where a.slot_id = s.id and a.status <> 'cancelled')
             order by s.starts_at limit 1) as days
      from offices o
     where exists (select 1 from reception_schedules r where r.office_id = o.id)
       ${filter.districtId === undefined ? sql`` : sql`and o.district_id = ${filter.districtId}`}
     order by o.id`.execute(db);
  return rows;
}

export interface FieldVisitReach {
  districtId: number;
  month: string; // 'YYYY-MM'
  /** Distinct residents registered at a field visit in remote settlements. */
  served: number;
}

/** Residents of remote settlements whose application was registered at a field visit, by district and month. */
export async function fieldVisitReach(
  db: DbOrTrx,
  from: string,
  toExclusive: string,
  filter: { districtId?: number } = {},
): Promise<FieldVisitReach[]> {
  const { rows } = await sql<FieldVisitReach>`
    select v.district_id as "districtId", to_char(v.visit_on, 'YYYY-MM') as month,
           count(distinct s.person_id)::int as served
      from field_visits v
      join field_visit_signups s on s.visit_id = v.id and s.status = 'registered'
      join settlements st on st.id = s.settlement_id and st.is_remote
     where v.visit_on >= ${from}::date and v.visit_on < ${toExclusive}::date
       ${filter.districtId === undefined ? sql`` : sql`and v.district_id = ${filter.districtId}`}
     group by 1, 2`.execute(db);
  return rows;
}
