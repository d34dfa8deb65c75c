// The contract between the indicator engine (quality.indicators.ts, quality.service.ts) and what shows
// it (dashboards, exports, open data). Every indicator is defined once; every figure can be cut by
// channel, district, measure and month and compared between any two cuts.
import type { ApplicationChannel } from '../applications/applications.schema.ts';

export type Criterion = 'accessibility' | 'priority' | 'timeliness' | 'documentation' | 'satisfaction';
export type Dimension = 'channel' | 'district' | 'measure' | 'month';
/** share: 0..1 shown as per cent; days: working or calendar days as stated; count: a number of things. */
export type Unit = 'share' | 'days' | 'count';

export interface IndicatorDefinition {
  /** Stable code, e.g. 'timeliness.decided_on_time'. Used in URLs, exports and docs/indicators.md. */
  code: string;
  criterion: Criterion;
  unit: Unit;
  /** Which direction is good: drives the colour of a change and the "off track" flag. */
  better: 'higher' | 'lower';
  /** The dimensions this indicator can be cut by (an office-level figure has no channel, say). */
  dimensions: readonly Dimension[];
  /** Message keys for the title and the one-sentence formula shown under every chart. */
  titleKey: string;
  formulaKey: string;
  /** False while its source does not exist yet. */
  available: boolean;
  /**
   * What its denominator counts: people (cases, residents, respondents: open data hides cells of fewer
   * than SMALL_CELL) or places (offices and pages, public facts: nothing to hide). Absent = people.
   */
  counts?: 'people' | 'places';
}

/** A validated filter; see parseIndicatorFilter for the errors a bad one gets. */
export interface IndicatorFilter {
  /** Inclusive months, 'YYYY-MM'. */
  from: string;
  to: string;
  districtId?: number;
  channel?: ApplicationChannel;
  measureId?: number;
}

export interface IndicatorValue {
  code: string;
  /** null when there is nothing to measure (no cases in the cut), never 0 in that case. */
  value: number | null;
  /** For shares and means: what the value is made of, shown in the data table behind each chart. */
  numerator: number | null;
  denominator: number | null;
  /** The same indicator over the previous period of equal length, for the change on a tile. */
  previous: number | null;
}

export interface IndicatorPoint {
  key: string; // the month 'YYYY-MM', district code, channel or measure code
  label: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export interface ProgrammeTarget {
  id: number;
  indicatorCode: string;
  year: number;
  /** In the indicator's unit (a share as 0..1). */
  target: number;
  /** Where the target comes from, e.g. the programme and its article. */
  source: string;
  districtId: number | null;
}
