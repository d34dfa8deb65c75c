// What the quality indicators read from the survey toolkit: satisfaction as the top-two-box share of
// each wave's satisfaction question (survey_waves.satisfaction_question), by the respondent's district,
// the channel of their latest application and the month the response was completed. Aggregates only:
// counts of responses, never a response or a respondent.
import { sql } from 'kysely';
import type { DbOrTrx } from '../../platform/db/database.ts';
import { REGION_TIME_ZONE } from '../../platform/time.ts';
import { NO_APPLICATION } from './surveys.background.ts';
import { type Form, findList, questions } from './surveys.form.ts';
import { likertScores } from './surveys.stats.ts';

/** The top-two-box of a wave: the choices of its satisfaction question, the two highest on the scale. */
export interface SatisfactionScale {
  waveId: number;
  versionId: number;
  question: string;
  /** Every choice of the question's list (an answer outside it is not on the scale). */
  choices: string[];
  top: string[];
}

/**
 * The two highest choices of a select_one question's list, ordered as likertSummary orders a scale:
 * by the choice names when all are numbers ("1" … "5"), else in the list's order, low → high.
 * Null when the question is not a select_one with a list of at least two choices.
 */
export function topTwoBox(form: Form, questionName: string): { choices: string[]; top: string[] } | null {
  for (const { question } of questions(form.children)) {
    if (question.name !== questionName) continue;
    if (question.type !== 'select_one' || !question.listName) return null;
    const list = findList(form, question.listName);
    if (!list || list.choices.length < 2) return null;
    const names = list.choices.map((c) => c.name);
    const scores = likertScores(names.map((value) => ({ value, label: value })));
    const order = names.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]! || b - a);
    return { choices: names, top: order.slice(0, 2).map((i) => names[i]!) };
  }
  return null;
}

/** Every wave that names a satisfaction question, with the top two choices of each version answered. */
export async function satisfactionScales(db: DbOrTrx): Promise<SatisfactionScale[]> {
  // A response reads against its own version (always the wave's, but the response row says so).
  const rows = await db
    .selectFrom('survey_waves as w')
    .innerJoin('questionnaire_versions as v', 'v.id', 'w.version_id')
    .select(['w.id as waveId', 'v.id as versionId', 'w.satisfaction_question as question', 'v.form'])
    .where('w.satisfaction_question', 'is not', null)
    .execute();
  const out: SatisfactionScale[] = [];
  for (const r of rows) {
    const scale = topTwoBox(r.form, r.question!);
    if (scale)
      out.push({ waveId: Number(r.waveId), versionId: Number(r.versionId), question: r.question!, ...scale });
  }
  return out;
}

export interface SatisfactionCount {
  /** The respondent's district (background.district); null when the response has none. */
  districtId: number | null;
  /** The channel of the respondent's latest application; null when none ('none' or anonymous). */
  channel: string | null;
  /** The month the response was completed, 'YYYY-MM' in the region's time zone. */
  month: string;
  /** Complete responses that answered the satisfaction question with a choice of its list. */
  answered: number;
  /** Of those, answers in the top two choices. */
  satisfied: number;
}

/**
 * Complete responses completed in [from, toExclusive) (dates 'YYYY-MM-DD', region time) to waves with a
 * satisfaction question, counted by district, channel and month. Responses that left the question
 * unanswered (not relevant, skipped) are not counted: top-two-box is a share of those who answered.
 */
export async function satisfactionCounts(
  db: DbOrTrx,
  from: string,
  toExclusive: string,
  filter: { districtId?: number; channel?: string } = {},
): Promise<SatisfactionCount[]> {
  const scales = await satisfactionScales(db);
  if (scales.length === 0) return [];
  const spec = JSON.stringify(
    scales.map((s) => ({
      wave: s.waveId,
      version: s.versionId,
      question: s.question,
      choices: s.choices,
      top: s.top,
    })),
  );
  // background.district is a district id as text; anything else is no district.
  const district = sql`case when r.background->>'district' ~ '^[0-9]{1,9}$'
                            then (r.background->>'district')::int end`;
  const channel = sql`nullif(nullif(r.background->>'channel', ''), ${NO_APPLICATION})`;
  const { rows } = await sql<SatisfactionCount>`
    select ${district} as "districtId", ${channel} as channel,
           to_char(r.completed_at at time zone ${REGION_TIME_ZONE}, 'YYYY-MM') as month,
           count(*)::int as answered,
           count(*) filter (where r.answers->>w.question = any(w.top))::int as satisfied
      from survey_responses r
      join jsonb_to_recordset(${spec}::jsonb)
             as w(wave bigint, version bigint, question text, choices text[], top text[])
        on w.wave = r.wave_id and w.version = r.version_id
     where r.status = 'complete'
       and r.completed_at >= (${from}::date)::timestamp at time zone ${REGION_TIME_ZONE}
       and r.completed_at < (${toExclusive}::date)::timestamp at time zone ${REGION_TIME_ZONE}
       and r.answers->>w.question = any(w.choices)
       ${filter.districtId === undefined ? sql`` : sql`and ${district} = ${filter.districtId}`}
       ${filter.channel === undefined ? sql`` : sql`and ${channel} = ${filter.channel}`}
     group by 1, 2, 3
     order by 3, 1, 2`.execute(db);
  return rows;
}
