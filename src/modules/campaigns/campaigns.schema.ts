import type { ColumnType, Generated } from 'kysely';

export type CampaignStatus = 'draft' | 'scheduled' | 'running' | 'done' | 'cancelled';
/** How the target group relates to the chosen measure. */
export type MeasureRelation = 'any' | 'receives' | 'not_receives' | 'eligible';

/** The analyst's filter, as stored with the campaign (codes, so it reads the same later). */
export interface CampaignFilter {
  /** District codes; empty means every district the author may see. */
  districts: string[];
  ageMin: number | null;
  ageMax: number | null;
  /** Recipient category codes; a resident in any of them matches. Empty means any. */
  categories: string[];
  /** Measure code, or null. */
  measure: string | null;
  relation: MeasureRelation;
  /** The day ages and assignments were counted on (region calendar). */
  asOf: string;
}

export interface CampaignsTables {
  campaigns: {
    id: Generated<number>;
    title: string;
    status: Generated<CampaignStatus>;
    filter: ColumnType<CampaignFilter, string, string>;
    district_ids: number[] | null;
    measure_id: number | null;
    subject_ru: string;
    subject_en: string;
    body_ru: string;
    body_en: string;
    scheduled_at: Date;
    created_by: number;
    created_at: Generated<Date>;
    launched_at: Date | null;
    finished_at: Date | null;
    cancelled_at: Date | null;
    cancelled_by: number | null;
    recipients: Generated<number>;
    queued: Generated<number>;
    submission_key: string | null;
  };
  campaign_recipients: {
    campaign_id: number;
    person_id: number;
  };
}
