import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';

export interface NewMessage {
  personId: number;
  subject: { ru: string; en: string };
  body: { ru: string; en: string };
}

export async function insertMessages(db: DbOrTrx, messages: NewMessage[]): Promise<void> {
  if (messages.length === 0) return;
  await db
    .insertInto('inbox_messages')
    .values(
      messages.map((m) => ({
        person_id: m.personId,
        subject_ru: m.subject.ru,
        subject_en: m.subject.en,
        body_ru: m.body.ru,
        body_en: m.body.en,
      })),
    )
    .execute();
}

export async function messagesFor(db: DbOrTrx, personId: number, limit: number) {
  return await db
    .selectFrom('inbox_messages')
    .select(['id', 'subject_ru', 'subject_en', 'body_ru', 'body_en', 'created_at', 'read_at'])
    .where('person_id', '=', personId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function markRead(db: DbOrTrx, personId: number, ids: number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('inbox_messages')
    .set({ read_at: sql`now()` })
    .where('person_id', '=', personId)
    .where('id', 'in', ids)
    .where('read_at', 'is', null)
    .execute();
}

/** One text to many residents in a single statement (a sweep may tell hundreds of thousands). */
export async function insertSameMessage(
  db: DbOrTrx,
  personIds: number[],
  message: Omit<NewMessage, 'personId'>,
): Promise<number> {
  if (personIds.length === 0) return 0;
  const result = await sql`
    insert into inbox_messages (person_id, subject_ru, subject_en, body_ru, body_en)
    select id, ${message.subject.ru}, ${message.subject.en}, ${message.body.ru}, ${message.body.en}
    from unnest(${personIds}::bigint[]) as id`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
