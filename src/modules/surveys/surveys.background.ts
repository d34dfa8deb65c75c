// Background variables of a response, for group comparisons and weighting: the respondent's district,
// age group and the channel of their latest application. Taken from the invitation's strata (sampled
// residents) or the registry (linked residents); anonymous responses have none.
// Stored in survey_responses.background / survey_invitations.strata as strings under these keys.

export const BACKGROUND_KEYS = ['district', 'ageGroup', 'channel'] as const;
export type BackgroundKey = (typeof BACKGROUND_KEYS)[number];
export type Background = Partial<Record<BackgroundKey, string>>;

/** Age groups as survey research in social protection usually cuts them (working age, pre-retirement, older). */
export const AGE_GROUPS = ['18-29', '30-44', '45-59', '60-74', '75+'] as const;
export type AgeGroup = (typeof AGE_GROUPS)[number];

/** Full years between an ISO birth date and an ISO date. */
export function ageOn(birthDate: string, onDate: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [y, m, d] = onDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** The age group on a date; null under 18 (children are not surveyed). */
export function ageGroupOf(birthDate: string, onDate: string): AgeGroup | null {
  return ageGroupOfAge(ageOn(birthDate, onDate));
}

/** The age group of an age in full years (the sampling frame counts ages in SQL). */
export function ageGroupOfAge(age: number): AgeGroup | null {
  if (age < 18) return null;
  if (age < 30) return '18-29';
  if (age < 45) return '30-44';
  if (age < 60) return '45-59';
  if (age < 75) return '60-74';
  return '75+';
}

/** The channel background value: the latest application's channel, or 'none' for residents who never applied. */
export const NO_APPLICATION = 'none';
