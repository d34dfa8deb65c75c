// Merging two records of one resident: applications (cases) and appeals follow the survivor.
import { moveBackById, moveById, type PersonReferences } from '../registry/registry.merge.ts';

export const applicationsMerge: PersonReferences = {
  name: 'applications',
  covers: [
    { table: 'applications', column: 'person_id' },
    { table: 'appeals', column: 'person_id' },
  ],
  async move(trx, from, into) {
    const applications = await moveById(trx, 'applications', 'person_id', from, into);
    const appeals = await moveById(trx, 'appeals', 'person_id', from, into);
    return applications.length || appeals.length ? { applications, appeals } : null;
  },
  async undo(trx, moved, from, into) {
    await moveBackById(trx, 'applications', 'person_id', moved.applications as number[], from, into);
    await moveBackById(trx, 'appeals', 'person_id', moved.appeals as number[], from, into);
  },
};
