// Registry reads for the EGISSO export (modules/egisso). Change detection is set-based: each
// assignment's source hash (the registry fields a fact is built from, plus its measure's classifier
// codes) is compared with the hash stored when the fact was last exported. A change committed while
// an export runs is simply not in that export's snapshot, so its hash differs next time: nothing is
// missed, whatever the clocks say. These queries read egisso's tables too, read-only, because the
// comparison must be one statement to be one snapshot.
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';

/** md5 over the record's inputs; row(...)::text keeps null apart from '' and needs no separator. */
const SOURCE_HASH: RawBuilder<string> = sql<string>`md5(row(
  a.measure_id, a.status, a.amount, a.start_date, a.end_date, extract(epoch from a.decided_at),
  p.snils, p.last_name, p.first_name, p.patronymic, p.birth_date, p.sex, p.categories, p.district_id,
  mc.kmsz_code, mc.default_category
)::text)`;

const FROM = sql`assignments a
  join persons p on p.id = a.person_id
  join measures m on m.id = a.measure_id
  left join egisso_measure_codes mc on mc.measure_code = m.code
  left join egisso_facts f on f.assignment_id = a.id`;

export interface ExportCandidate {
  assignment_id: number;
  measure_id: number;
  status: 'active' | 'suspended' | 'ended';
  amount: number;
  start_date: string;
  end_date: string | null;
  decided_at: Date;
  snils: string;
  last_name: string;
  first_name: string;
  patronymic: string | null;
  birth_date: string;
  sex: 'M' | 'F';
  categories: string[];
  district_id: number;
  kmsz_code: string | null;
  default_category: string | null;
  source_hash: string;
  /** The stored export state, when there is one. */
  fact_id: string | null;
  fact_district_id: number | null;
  fact_state: 'exported' | 'rejected' | 'cancelled' | null;
  fact_version: number | null;
  fact_record: unknown;
}

/**
 * Assignments EGISSO does not have as they are now: never exported, changed since (hash differs), or
 * rejected last time (retried every export, as the fix may be anywhere). New and changed ones first,
 * so that a backlog of rejections never starves them when `limit` cuts the list.
 */
export async function changedAssignmentsForExport(db: DbOrTrx, limit: number): Promise<ExportCandidate[]> {
  const { rows } = await sql<ExportCandidate>`
    select a.id as assignment_id, a.measure_id, a.status, a.amount, a.start_date, a.end_date, a.decided_at,
           p.snils, p.last_name, p.first_name, p.patronymic, p.birth_date, p.sex, p.categories, p.district_id,
           mc.kmsz_code, mc.default_category, ${SOURCE_HASH} as source_hash,
           f.fact_id, f.district_id as fact_district_id, f.state as fact_state, f.version as fact_version, f.record as fact_record
      from ${FROM}
     where f.assignment_id is null or f.state <> 'exported' or f.source_hash is distinct from ${SOURCE_HASH}
     order by coalesce(f.state = 'rejected' and f.source_hash is not distinct from ${SOURCE_HASH}, false), a.id
     limit ${limit}`.execute(db);
  return rows;
}

/** Facts EGISSO holds (or that were rejected) whose assignment no longer exists in the registry. */
export async function factsOfDeletedAssignments(db: DbOrTrx) {
  const { rows } = await sql<{
    assignment_id: number;
    fact_id: string;
    state: 'exported' | 'rejected';
    version: number;
    district_id: number;
    record: unknown;
  }>`
    select f.assignment_id, f.fact_id, f.state, f.version, f.district_id, f.record
      from egisso_facts f
     where f.state <> 'cancelled'
       and not exists (select 1 from assignments a where a.id = f.assignment_id)
     order by f.assignment_id`.execute(db);
  return rows;
}

export interface ExportStatusCounts {
  district_id: number;
  /** EGISSO has the assignment as it is now, accepted without rejection. */
  exported: number;
  /** The latest attempt was rejected (the reasons are on the rejections page). */
  rejected: number;
  /** Never exported, or changed since the last export. */
  pending: number;
}

/** Per district (of the recipient): the registry's assignments by EGISSO export status. */
export async function exportStatusByDistrict(db: DbOrTrx): Promise<ExportStatusCounts[]> {
  const { rows } = await sql<ExportStatusCounts>`
    select p.district_id,
           count(*) filter (where f.state = 'exported' and f.source_hash = ${SOURCE_HASH})::int as exported,
           count(*) filter (where f.state = 'rejected')::int as rejected,
           count(*) filter (where f.state is distinct from 'rejected'
                              and not coalesce(f.state = 'exported' and f.source_hash = ${SOURCE_HASH}, false))::int as pending
      from ${FROM}
     group by p.district_id
     order by p.district_id`.execute(db);
  return rows;
}
