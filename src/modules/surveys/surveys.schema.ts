// Tables of the surveys module: questionnaires, their versions (the parsed XLSForm model as jsonb),
// expert-interview guides (0016); waves, samples, invitations, responses, code books, expert
// interviews and their codings (0018).
import type { ColumnType, Generated } from 'kysely';
import type { Answers } from './surveys.answers.ts';
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
  questionnaire_drafts: {
    id: ColumnType<number, never, never>;
    questionnaire_id: number | null;
    form: ColumnType<Form, string, string>;
    revision: ColumnType<number, number | undefined, number>;
    updated_by: number;
    updated_at: Generated<Date>;
  };
  survey_waves: {
    id: ColumnType<number, never, never>;
    version_id: number;
    title: string;
    mode: WaveMode;
    token: string;
    /** ISO dates (YYYY-MM-DD). */
    opens_on: ColumnType<string, string, string>;
    closes_on: ColumnType<string, string, string>;
    satisfaction_question: string | null;
    created_by: number;
    created_at: Generated<Date>;
  };
  survey_samples: {
    id: ColumnType<number, never, never>;
    wave_id: number;
    seed: ColumnType<number, number, never>;
    strata: string[];
    allocation: 'proportional' | 'equal';
    size: number;
    population: number;
    frame: ColumnType<Record<string, unknown>, string | undefined, never>;
    created_by: number;
    created_at: Generated<Date>;
  };
  survey_invitations: {
    id: ColumnType<number, never, never>;
    wave_id: number;
    sample_id: number;
    person_id: number;
    strata: ColumnType<Record<string, string>, string | undefined, string>;
    token_sha256: string;
    invited_at: Generated<Date>;
  };
  survey_responses: {
    id: ColumnType<number, never, never>;
    wave_id: number;
    version_id: number;
    channel: ResponseChannel;
    person_id: number | null;
    invitation_id: number | null;
    interviewer_id: number | null;
    background: ColumnType<Record<string, string>, string | undefined, string>;
    answers: ColumnType<Answers, string | undefined, string>;
    page: Generated<number>;
    status: Generated<'in_progress' | 'complete'>;
    resume_sha256: string | null;
    started_at: Generated<Date>;
    updated_at: Generated<Date>;
    completed_at: Date | null;
  };
  survey_code_books: {
    id: ColumnType<number, never, never>;
    title: string;
    created_by: number;
    created_at: Generated<Date>;
  };
  survey_codes: {
    id: ColumnType<number, never, never>;
    code_book_id: number;
    name: string;
    description: Generated<string>;
  };
  expert_interviews: {
    id: ColumnType<number, never, never>;
    title: string;
    guide_id: number | null;
    code_book_id: number;
    expert_role: string;
    expert_group: string;
    district_id: number | null;
    /** ISO date. */
    interviewed_on: ColumnType<string, string, string>;
    interviewer: string;
    duration_minutes: number | null;
    transcript: string;
    created_by: number;
    created_at: Generated<Date>;
  };
  expert_interview_codings: {
    id: ColumnType<number, never, never>;
    interview_id: number;
    coder_id: number;
    code_id: number;
    start_offset: number;
    end_offset: number;
    memo: Generated<string>;
    created_at: Generated<Date>;
  };
}

export type WaveMode = 'anonymous' | 'linked';
export type ResponseChannel = 'portal' | 'interviewer';
