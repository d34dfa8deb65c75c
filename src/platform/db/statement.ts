// Writes that belong to several modules, in one statement: each module builds the part that writes
// its own tables (a data-modifying CTE, `insert … select … from` its input) and the caller joins the
// parts with `with`. One statement is atomic without BEGIN and COMMIT and costs one round trip; the
// intake's batch was ten, each waiting for the server's busy event loop (docs/performance.md, Intake).
import { type RawBuilder, sql } from 'kysely';
import type { DbOrTrx } from './database.ts';

export interface StatementPart {
  /** The CTE's name, unique in the statement: start it with the module's name. */
  name: string;
  query: RawBuilder<unknown>;
  /**
   * A SELECT whose point is a function's effect (enqueuing a job). PostgreSQL runs a data-modifying
   * CTE whether or not it is read, but a SELECT only when read: the statement reads it once.
   */
  readForEffect?: boolean;
}

/** `with a as (…), b as (…)` for the parts, in order. */
export function withParts(parts: readonly StatementPart[]): RawBuilder<unknown> {
  return sql`with ${sql.join(
    parts.map((p) => sql`${sql.id(p.name)} as (${p.query})`),
    sql`, `,
  )}`;
}

/** The reads that make effect parts run, as select-list items: `, (select count(*) from x) as x`. */
export function effectsOf(parts: readonly StatementPart[]): RawBuilder<unknown> {
  const reads = parts.filter((p) => p.readForEffect);
  if (reads.length === 0) return sql``;
  return sql`, ${sql.join(
    reads.map((p) => sql`(select count(*) from ${sql.id(p.name)}) as ${sql.id(p.name)}`),
    sql`, `,
  )}`;
}

/**
 * `insert into table (columns) select … from jsonb_to_recordset($rows)`: rows sent as ONE jsonb
 * parameter (a constant statement text, fit to be PREPARED, whatever the number of rows), each
 * column read as the SQL type given.
 */
export function insertFromJson(
  table: string,
  columns: Record<string, string>,
  rows: readonly object[],
): RawBuilder<unknown> {
  const names = Object.keys(columns);
  return sql`insert into ${sql.table(table)} (${sql.join(names.map((c) => sql.ref(c)))})
    select ${sql.join(names.map((c) => sql.ref(`t.${c}`)))}
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
      as t(${sql.join(Object.entries(columns).map(([c, type]) => sql`${sql.ref(c)} ${sql.raw(type)}`))})`;
}

/** Runs parts that return nothing the caller needs, as one statement. */
export async function runParts(db: DbOrTrx, parts: readonly StatementPart[]): Promise<void> {
  if (parts.length === 0) return;
  await sql`${withParts(parts)} select 1 as done${effectsOf(parts)}`.execute(db);
}
