// Demo cases for `npm start`: a Volgograd work queue with something in every state, some priority
// cases and some overdue, made through the same service a specialist uses at the counter.
import { sql } from 'kysely';
import { act, approve, registerAtCounter } from '../modules/applications/applications.service.ts';
import { listStaffUsers } from '../modules/staff/staff.service.ts';
import type { StaffActor } from '../platform/auth/actor.ts';
import { workingDaysBetween } from '../platform/calendar/calendar.service.ts';
import type { Db } from '../platform/db/database.ts';
import { regionToday } from '../platform/time.ts';
import { DEMO_RESIDENTS } from '../seed/seed.service.ts';

const MEASURES = ['VETERAN-EDV', 'VETERAN-HCS-COMP', 'SOCIAL-TAXI', 'STATE-AID-LOWINC'];

type Plan = { daysAgo: number; next?: 'review' | 'documents' | 'approve' | 'refuse' };

/** Registration dates in working days before today, and what happened next. */
const PLANS: Plan[] = [
  { daysAgo: 14, next: 'review' }, // overdue
  { daysAgo: 12 }, // overdue, never started
  { daysAgo: 9, next: 'review' },
  { daysAgo: 8, next: 'documents' },
  { daysAgo: 6 },
  { daysAgo: 4, next: 'review' },
  { daysAgo: 3, next: 'approve' },
  { daysAgo: 2, next: 'refuse' },
  { daysAgo: 1 },
  { daysAgo: 0 },
];

function workingDaysBefore(today: string, n: number): string {
  if (n === 0) return today;
  // Step back a calendar day at a time until n working days lie between that day and today.
  let d = today;
  for (let guard = 0; guard < 400; guard++) {
    const prev = new Date(`${d}T00:00:00Z`);
    prev.setUTCDate(prev.getUTCDate() - 1);
    d = prev.toISOString().slice(0, 10);
    if (workingDaysBetween(d, today) >= n) return d;
  }
  return d;
}

export async function ensureDemoCases(db: Db): Promise<number> {
  const { rows } = await sql<{ n: string }>`select count(*) as n from applications`.execute(db);
  if (Number(rows[0]?.n) > 0) return 0;
  const user = (await listStaffUsers(db)).find((u) => u.login === 'spec.volgograd');
  if (!user) return 0;
  const staff: StaffActor = {
    kind: 'staff',
    userId: user.id,
    login: user.login,
    fullName: user.full_name,
    role: user.role,
    districtIds: user.district_ids,
    sessionId: 'demo',
  };
  const people = await sql<{ id: number }>`
    select id from persons where district_id = ${user.district_ids[0] ?? -1}
      and snils <> all(${DEMO_RESIDENTS.map((r) => r.snils)}::text[]) -- the demo residents apply themselves
    order by (categories && array['disabled','labour_veteran','large_family']::text[]) desc, id limit ${PLANS.length}`.execute(
    db,
  );
  const today = regionToday();
  let made = 0;
  for (const [i, plan] of PLANS.entries()) {
    const person = people.rows[i];
    if (!person) break;
    const day = workingDaysBefore(today, plan.daysAgo);
    const ctx = { ip: '127.0.0.1', today: day };
    await db.transaction().execute(async (trx) => {
      const id = await registerAtCounter(
        trx,
        staff,
        {
          personId: person.id,
          measureCode: MEASURES[i % MEASURES.length] ?? 'VETERAN-EDV',
          channel: i % 3 === 0 ? 'mfc' : 'in_person',
          answers: { phone: '+7 902 000-00-00', payment: { method: 'post' } },
          emergency: i === 5,
          idempotencyKey: `demo-case-${i}`,
        },
        ctx,
      );
      const now = { ip: '127.0.0.1', today };
      if (plan.next === 'review') await act(trx, staff, id, 1, 'start_review', {}, now);
      if (plan.next === 'documents')
        await act(
          trx,
          staff,
          id,
          1,
          'request_documents',
          { note: 'Принесите, пожалуйста, удостоверение ветерана.' },
          now,
        );
      if (plan.next === 'refuse') await act(trx, staff, id, 1, 'refuse', { ground: 'not_eligible' }, now);
      if (plan.next === 'approve')
        await approve(trx, staff, id, 1, { note: 'Демонстрационное решение' }, now);
    });
    made++;
  }
  return made;
}
