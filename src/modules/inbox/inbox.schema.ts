import type { Generated } from 'kysely';

export interface InboxTables {
  inbox_messages: {
    id: Generated<number>;
    person_id: number;
    subject_ru: string;
    subject_en: string;
    body_ru: string;
    body_en: string;
    created_at: Generated<Date>;
    read_at: Date | null;
  };
}
