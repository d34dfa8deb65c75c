// Merging two records of one resident: appointments and field-visit sign-ups follow the survivor.
// Both may hold only one live booking per measure; two live ones are a choice for the specialist
// (cancel one), so the merge is refused rather than guessing.
import { sql } from 'kysely';
import { mergeConflict, moveBackById, moveById, type PersonReferences } from '../registry/registry.merge.ts';

export const receptionMerge: PersonReferences = {
  name: 'reception',
  covers: [
    { table: 'appointments', column: 'person_id' },
    { table: 'field_visit_signups', column: 'person_id' },
  ],
  async move(trx, from, into) {
    const clash = await sql`
      select 1 from appointments a join appointments b on b.measure_id = a.measure_id
      where a.person_id = ${from} and b.person_id = ${into}
        and a.status in ('booked', 'checked_in', 'called') and b.status in ('booked', 'checked_in', 'called')
      limit 1`.execute(trx);
    if (clash.rows.length > 0)
      throw mergeConflict(
        'merge_conflict_appointments',
        'Both records have a live appointment for the same measure; cancel one before merging',
      );
    const visitClash = await sql`
      select 1 from field_visit_signups a join field_visit_signups b
        on b.visit_id = a.visit_id and b.measure_id = a.measure_id
      where a.person_id = ${from} and b.person_id = ${into} and a.status <> 'cancelled' and b.status <> 'cancelled'
      limit 1`.execute(trx);
    if (visitClash.rows.length > 0)
      throw mergeConflict(
        'merge_conflict_visits',
        'Both records are signed up for the same field visit and measure; cancel one before merging',
      );
    const appointments = await moveById(trx, 'appointments', 'person_id', from, into);
    const signups = await moveById(trx, 'field_visit_signups', 'person_id', from, into);
    return appointments.length || signups.length ? { appointments, signups } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'appointments', 'person_id', moved.appointments as number[], from, into);
    await moveBackById(trx, 'field_visit_signups', 'person_id', moved.signups as number[], from, into);
  },
};
