// The sampling frame: recipients of support measures from the registry with their background
// (district, age group, channel of the latest application), through the registry's and the
// applications module's exported functions.

import type { DbOrTrx } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { latestChannelsOf } from '../applications/applications.survey-frame.ts';
import { personForSurvey } from '../registry/registry.survey-frame.ts';
import {
  ageGroupOf,
  ageGroupOfAge,
  type Background,
  type BackgroundKey,
  NO_APPLICATION,
} from './surveys.background.ts';
import { frameGroups } from './surveys.sample.repository.ts';
import type { Candidate } from './surveys.sampling.ts';

/**
 * The background of one linked respondent on a date (ISO): district id, age group (absent under 18)
 * and the latest application's channel ('none' if never applied). Audited by the caller's context.
 */
export async function backgroundOf(db: DbOrTrx, personId: number, onDate: string): Promise<Background> {
  const person = await personForSurvey(db, personId);
  if (!person) throw new AppError('person_not_found', 404, `No person ${personId}`);
  const channels = await latestChannelsOf(db, [personId]);
  const out: Background = { district: String(person.district_id) };
  const ageGroup = ageGroupOf(person.birth_date, onDate);
  if (ageGroup) out.ageGroup = ageGroup;
  out.channel = channels.get(personId) ?? NO_APPLICATION;
  return out;
}

export interface FrameFilter {
  /** Only recipients living in these districts (empty: all). */
  districtIds?: readonly number[];
  /** Only recipients of these measures (empty: any). */
  measureIds?: readonly number[];
  /** Leave out residents already invited to this wave. */
  excludeWaveId?: number | null;
  /** The day the frame is taken on (ISO): live assignments, age. */
  onDate: string;
}

/** Backgrounds of the frame with their counts. */
export interface FrameStratum {
  strata: Readonly<Record<BackgroundKey, string>>;
  population: number;
}

async function groups(db: DbOrTrx, filter: FrameFilter, withIds: boolean) {
  const rows = await frameGroups(
    db,
    { districtIds: filter.districtIds ?? [], measureIds: filter.measureIds ?? [] },
    filter.onDate,
    filter.excludeWaveId ?? null,
    withIds,
  );
  // Ages fold into age groups; one frozen strata object per background, shared by its candidates.
  const out = new Map<string, { strata: Readonly<Record<BackgroundKey, string>>; rows: typeof rows }>();
  for (const r of rows) {
    const ageGroup = ageGroupOfAge(r.age);
    if (!ageGroup) continue;
    const channel = r.channel ?? NO_APPLICATION;
    const name = `${r.district_id}|${ageGroup}|${channel}`;
    let g = out.get(name);
    if (!g) {
      g = { strata: Object.freeze({ district: String(r.district_id), ageGroup, channel }), rows: [] };
      out.set(name, g);
    }
    g.rows.push(r);
  }
  return [...out.values()];
}

/**
 * The sampling frame: adult, living recipients of a live support measure, each with its background
 * (district id, age group, latest application channel) as sampling strata. One SQL statement.
 */
export async function recipientFrame(db: DbOrTrx, filter: FrameFilter): Promise<Candidate[]> {
  const out: Candidate[] = [];
  for (const g of await groups(db, filter, true))
    for (const r of g.rows)
      for (const id of (r.ids ?? '').split(',')) if (id) out.push({ id, strata: g.strata });
  return out;
}

/** The frame counted by background, without ids (the preview's allocation needs no more). */
export async function frameStrata(db: DbOrTrx, filter: FrameFilter): Promise<FrameStratum[]> {
  return (await groups(db, filter, false)).map((g) => ({
    strata: g.strata,
    population: g.rows.reduce((n, r) => n + r.population, 0),
  }));
}
