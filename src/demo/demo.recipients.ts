// Demo recipients for `npm start`: the synthetic registry has residents and their categories but
// (apart from decided demo cases) no support measures assigned, so surveys of recipients (and "receiving a measure" in campaigns) would
// find nobody. This gives residents of a category the measure that category receives — labour
// veterans their monthly payment, people with disabilities their housing compensation, large
// families their certificate, low-income households state aid — through the registry's bulk
// assignment (the import's path), once.
import { sql } from 'kysely';
import { createAssignmentsInBulk, liveAssignmentsOf } from '../modules/registry/assignments.import.ts';
import type { NewAssignment } from '../modules/registry/assignments.service.ts';
import type { Db } from '../platform/db/database.ts';
import { regionToday } from '../platform/time.ts';

const BY_CATEGORY: Array<{ category: string; measure: string; amount: number; limit: number }> = [
  { category: 'labour_veteran', measure: 'VETERAN-EDV', amount: 1_135, limit: 1_500 },
  { category: 'disabled', measure: 'DISABLED-HCS-COMP', amount: 1_820, limit: 800 },
  { category: 'large_family', measure: 'LARGE-FAMILY-CERT', amount: 0, limit: 500 },
  { category: 'low_income', measure: 'STATE-AID-LOWINC', amount: 3_500, limit: 700 },
];

const monthsBefore = (today: string, n: number) => {
  const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() - n);
  return d.toISOString().slice(0, 10);
};

/** Assigns the demo measures once (they carry `parameters.demo`); returns how many. */
export async function ensureDemoRecipients(db: Db): Promise<number> {
  const done = await db
    .selectFrom('assignments')
    .select('id')
    .where(sql<boolean>`parameters @> '{"demo": true}'::jsonb`)
    .limit(1)
    .executeTakeFirst();
  if (done) return 0;
  const today = regionToday();
  return await db.transaction().execute(async (trx) => {
    const list: NewAssignment[] = [];
    for (const b of BY_CATEGORY) {
      const measure = await trx
        .selectFrom('measures')
        .select('id')
        .where('code', '=', b.measure)
        .executeTakeFirst();
      if (!measure) continue;
      const { rows } = await sql<{ id: number }>`
        select id from persons
         where ${b.category} = any(categories) and died_on is null
         order by id limit ${b.limit}`.execute(trx);
      for (const [i, p] of rows.entries())
        list.push({
          personId: p.id,
          measureId: measure.id,
          basis: 'application',
          amount: b.amount,
          // Spread over the last three years, so "receiving since" differs.
          startDate: monthsBefore(today, 1 + (i % 36)),
          ruleVersionId: null,
          parameters: { demo: true },
          actorId: null,
        });
    }
    // A resident already receiving the measure (a decided demo case) keeps that assignment.
    const live = new Set(
      (await liveAssignmentsOf(trx, [...new Set(list.map((a) => a.personId))])).map(
        (a) => `${a.person_id}:${a.measure_id}`,
      ),
    );
    const fresh = list.filter((a) => !live.has(`${a.personId}:${a.measureId}`));
    return (await createAssignmentsInBulk(trx, fresh)).length;
  });
}
