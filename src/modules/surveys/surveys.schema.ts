// Tables of the surveys module: questionnaires, their versions (the parsed XLSForm model as jsonb),
// expert-interview guides.
import type { ColumnType, Generated } from 'kysely';
import type { Form } from './surveys.form.ts';

/** A topic of an expert-interview guide: open questions, each with optional follow-up probes. */
export interface GuideTopic {
  title: string;
  questions: { text: string; probes: string[] }[];
}

export interface SurveysTables {
  questionnaires: {
    id: ColumnType<number, never, never>;
    form_id: string | null;
    title: string;
    created_by: number;
    created_at: Generated<Date>;
  };
  questionnaire_versions: {
    id: ColumnType<number, never, never>;
    questionnaire_id: number;
    number: number;
    form_version: string | null;
    title: string;
    form: ColumnType<Form, string, never>;
    source: ColumnType<Buffer, Buffer, never>;
    source_sha256: string;
    created_by: number;
    created_at: Generated<Date>;
  };
  interview_guides: {
    id: ColumnType<number, never, never>;
    title: string;
    purpose: Generated<string>;
    topics: ColumnType<GuideTopic[], string, string>;
    created_by: number;
    created_at: Generated<Date>;
  };
}
