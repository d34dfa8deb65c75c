// SQL of the dedup module: the region streamed for blocking, the persons of candidate pairs, and
// the dedup tables. The registry's rows are read here only as the detection's input (one COPY and
// a fetch by id); every change to them goes through the modules' *.merge.ts.
import { StringDecoder } from 'node:string_decoder';
import { sql } from 'kysely';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { DistrictScope } from '../../platform/auth/actor.ts';
import type { DbOrTrx } from '../../platform/db/database.ts';
import type { MatchPerson } from './dedup.match.ts';

export interface BlockingRow {
  id: number;
  snils: string;
  last_name: string;
  first_name: string;
  birth_date: string;
  address: string;
}

/** COPY text format escapes: \\, \t, \n, \r (names and addresses rarely carry any). */
function unescapeCopy(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\(.)/g, (_, c: string) =>
    c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : c,
  );
}

/**
 * Streams every person's blocking fields with COPY (several times faster than a cursor) and calls
 * `onRow` for each. The row object is reused: copy what you keep.
 */
export async function streamBlockingRows(url: string, onRow: (row: BlockingRow) => void): Promise<number> {
  const client = new pg.Client({ connectionString: url, application_name: 'opora-dedup' });
  await client.connect();
  let count = 0;
  try {
    const stream = client.query(
      copyTo('copy (select id, snils, last_name, first_name, birth_date, address from persons) to stdout'),
    );
    const decoder = new StringDecoder('utf8');
    const row: BlockingRow = { id: 0, snils: '', last_name: '', first_name: '', birth_date: '', address: '' };
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + decoder.write(chunk);
      let start = 0;
      for (;;) {
        const end = text.indexOf('\n', start);
        if (end < 0) break;
        const t1 = text.indexOf('\t', start);
        const t2 = text.indexOf('\t', t1 + 1);
        const t3 = text.indexOf('\t', t2 + 1);
        const t4 = text.indexOf('\t', t3 + 1);
        const t5 = text.indexOf('\t', t4 + 1);
        row.id = Number(text.slice(start, t1));
        row.snils = text.slice(t1 + 1, t2);
        row.last_name = unescapeCopy(text.slice(t2 + 1, t3));
        row.first_name = unescapeCopy(text.slice(t3 + 1, t4));
        row.birth_date = text.slice(t4 + 1, t5);
        row.address = unescapeCopy(text.slice(t5 + 1, end));
        onRow(row);
        count++;
        start = end + 1;
      }
      rest = text.slice(start);
    }
  } finally {
    await client.end();
  }
  return count;
}

export async function personsForMatching(db: DbOrTrx, ids: readonly number[]): Promise<MatchPerson[]> {
  const out: MatchPerson[] = [];
  for (let i = 0; i < ids.length; i += 20_000) {
    const { rows } = await sql<MatchPerson>`
      select id, snils, last_name, first_name, patronymic, birth_date::text as birth_date, sex, address, phone, email
      from persons where id = any(${ids.slice(i, i + 20_000)}::bigint[])`.execute(db);
    for (const r of rows) out.push({ ...r, id: Number(r.id) });
  }
  return out;
}

export interface NewCandidate {
  a: number;
  b: number;
  score: number;
  reasons: string[];
}

/** Stores new pairs; a pair seen before (pending, reviewed or merged) is left as it is. Returns how many were new. */
export async function insertCandidates(db: DbOrTrx, pairs: readonly NewCandidate[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < pairs.length; i += 5000) {
    const batch = pairs.slice(i, i + 5000);
    const result = await sql`
      insert into dedup_candidates (person_a, person_b, score, reasons)
      select a, b, s, string_to_array(r, ',')
      from unnest(${batch.map((p) => p.a)}::bigint[], ${batch.map((p) => p.b)}::bigint[],
                  ${batch.map((p) => p.score)}::real[], ${batch.map((p) => p.reasons.join(','))}::text[]) as x(a, b, s, r)
      on conflict (person_a, person_b) do nothing`.execute(db);
    inserted += Number(result.numAffectedRows ?? 0);
  }
  return inserted;
}

const scoped = (scope: DistrictScope) =>
  scope.all
    ? sql`true`
    : scope.districtIds.length === 0
      ? sql`false`
      : sql`(pa.district_id = any(${scope.districtIds}::int[]) or pb.district_id = any(${scope.districtIds}::int[]))`;

export interface PairRow {
  id: number;
  score: number;
  reasons: string[];
  status: string;
  a_id: number;
  a_name: string;
  a_birth_date: string;
  a_district_id: number;
  b_id: number;
  b_name: string;
  b_birth_date: string;
  b_district_id: number;
}

const PAIR_COLUMNS = sql`c.id, c.score, c.reasons, c.status,
  pa.id as a_id, concat_ws(' ', pa.last_name, pa.first_name, pa.patronymic) as a_name,
  pa.birth_date::text as a_birth_date, pa.district_id as a_district_id,
  pb.id as b_id, concat_ws(' ', pb.last_name, pb.first_name, pb.patronymic) as b_name,
  pb.birth_date::text as b_birth_date, pb.district_id as b_district_id`;

/** Pending pairs whose records both exist and one of them is in scope, best first. */
export async function pendingPairs(db: DbOrTrx, scope: DistrictScope, limit: number, offset: number) {
  const { rows } = await sql<PairRow>`
    select ${PAIR_COLUMNS}
    from dedup_candidates c
    join persons pa on pa.id = c.person_a
    join persons pb on pb.id = c.person_b
    where c.status = 'pending' and ${scoped(scope)}
    order by c.score desc, c.id
    limit ${limit} offset ${offset}`.execute(db);
  return rows;
}

export async function countPendingPairs(db: DbOrTrx, scope: DistrictScope): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from dedup_candidates c
    join persons pa on pa.id = c.person_a
    join persons pb on pb.id = c.person_b
    where c.status = 'pending' and ${scoped(scope)}`.execute(db);
  return rows[0]?.n ?? 0;
}

export async function findCandidate(db: DbOrTrx, id: number, lock = false) {
  const query = db.selectFrom('dedup_candidates').selectAll().where('id', '=', id);
  return await (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function setCandidateStatus(
  db: DbOrTrx,
  id: number,
  status: 'pending' | 'not_duplicate' | 'merged',
  reviewedBy: number | null,
): Promise<void> {
  await db
    .updateTable('dedup_candidates')
    .set({ status, reviewed_by: reviewedBy, reviewed_at: reviewedBy === null ? null : new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertMerge(
  db: DbOrTrx,
  m: {
    candidate_id: number;
    survivor_id: number;
    duplicate_id: number;
    district_ids: number[];
    duplicate_row: unknown;
    moved: unknown;
    merged_by: number;
  },
): Promise<number> {
  const row = await db
    .insertInto('dedup_merges')
    .values({
      ...m,
      duplicate_row: JSON.stringify(m.duplicate_row),
      moved: JSON.stringify(m.moved),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

export async function findMerge(db: DbOrTrx, id: number, lock = false) {
  const query = db.selectFrom('dedup_merges').selectAll().where('id', '=', id);
  return await (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function markUndone(db: DbOrTrx, id: number, by: number): Promise<void> {
  await db
    .updateTable('dedup_merges')
    .set({ undone_by: by, undone_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export interface MergeRow {
  id: number;
  candidate_id: number;
  survivor_id: number;
  survivor_name: string;
  duplicate_id: number;
  duplicate_name: string;
  merged_at: Date;
  merged_by_name: string;
}

/** Live merges in scope (either record's district at the time), newest first; or the one with `id`. */
export async function liveMerges(db: DbOrTrx, scope: DistrictScope, limit: number, id?: number) {
  const one = id === undefined ? sql`true` : sql`m.id = ${id}`;
  const where = scope.all
    ? sql`true`
    : scope.districtIds.length === 0
      ? sql`false`
      : sql`m.district_ids && ${scope.districtIds}::int[]`;
  const { rows } = await sql<MergeRow>`
    select m.id, m.candidate_id, m.survivor_id, m.duplicate_id, m.merged_at,
      concat_ws(' ', p.last_name, p.first_name, p.patronymic) as survivor_name,
      concat_ws(' ', m.duplicate_row->>'last_name', m.duplicate_row->>'first_name', m.duplicate_row->>'patronymic') as duplicate_name,
      u.full_name as merged_by_name
    from dedup_merges m
    left join persons p on p.id = m.survivor_id
    join staff_users u on u.id = m.merged_by
    where m.undone_at is null and ${where} and ${one}
    order by m.merged_at desc, m.id desc
    limit ${limit}`.execute(db);
  return rows;
}
