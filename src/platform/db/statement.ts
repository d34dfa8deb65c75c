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

/**
 * Reads that belong to several modules, in one statement and one round trip (the intake's batch
 * made three side by side, each waking a PostgreSQL backend of its own). Each module builds the
 * SELECT for its own tables; the rows of each come back as an array, through JSON: numbers, strings,
 * booleans, arrays and objects only (a timestamp would arrive as text).
 */
export async function readParts<T extends Record<string, object>>(
  db: DbOrTrx,
  parts: { [K in keyof T]: RawBuilder<T[K]> },
): Promise<{ [K in keyof T]: T[K][] }> {
  const names = Object.keys(parts) as Array<keyof T & string>;
  const { rows } = await sql<{ [K in keyof T]: T[K][] }>`select ${sql.join(
    names.map(
      (name) =>
        sql`(select coalesce(json_agg(${sql.id(name)}), '[]'::json) from (${parts[name]}) ${sql.id(name)}) as ${sql.id(name)}`,
    ),
  )}`.execute(db);
  return rows[0]!;
}
