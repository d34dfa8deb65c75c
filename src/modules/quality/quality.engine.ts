// The one place the quality pages call the indicator engine (quality.service.ts): the routes ask this
// adapter, which turns the engine's ValidationErrors into field errors for the error summary and its
// results into what the view model takes, so a change of the engine's signatures stays here.
import type { StaffActor } from '../../platform/auth/actor.ts';
import type { Db, DbOrTrx } from '../../platform/db/database.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { Locale, MessageKey } from '../../platform/i18n/i18n.ts';
import * as svc from './quality.service.ts';
import type {
  Dimension,
  IndicatorDefinition,
  IndicatorFilter,
  IndicatorPoint,
  IndicatorValue,
  ProgrammeTarget,
} from './quality.types.ts';
import type { RawFilter } from './quality.view-model.ts';

export type FieldKeys = Record<string, MessageKey>;

export interface TargetActual {
  target: ProgrammeTarget;
  def: IndicatorDefinition;
  actual: number | null;
  /** The engine's verdict (with its tolerance); null when there is no actual yet. */
  onTrack: boolean | null;
}

export interface NewTarget {
  indicator: string;
  year: string;
  target: string;
  source: string;
  district: string;
}

/** The engine names the target's indicator field indicatorCode; the form calls it indicator. */
const formFields = (fields: Record<string, string>): FieldKeys =>
  Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [k === 'indicatorCode' ? 'indicator' : k, v as MessageKey]),
  );

/** Rolls back the check-answers transaction: the target was valid, nothing is kept. */
class DryRun extends Error {}

export const engine = {
  indicators: (): readonly IndicatorDefinition[] => svc.listIndicators(),

  /** The filter, or the engine's field errors (message keys) for the error summary. */
  async parseFilter(
    db: DbOrTrx,
    raw: RawFilter,
  ): Promise<{ filter: IndicatorFilter } | { errors: FieldKeys }> {
    try {
      return { filter: await svc.parseIndicatorFilter(db, { ...raw }) };
    } catch (error) {
      if (error instanceof ValidationError) return { errors: formFields(error.fields) };
      throw error;
    }
  },

  values: (
    db: DbOrTrx,
    filter: IndicatorFilter,
    codes: string[],
    locale: Locale,
  ): Promise<IndicatorValue[]> => svc.indicatorValues(db, filter, { codes, locale }),

  series: (db: DbOrTrx, code: string, filter: IndicatorFilter, locale: Locale): Promise<IndicatorPoint[]> =>
    svc.indicatorSeries(db, code, filter, { locale }),

  breakdown: (
    db: DbOrTrx,
    code: string,
    filter: IndicatorFilter,
    dimension: Exclude<Dimension, 'month'>,
    locale: Locale,
  ): Promise<IndicatorPoint[]> => svc.indicatorBreakdown(db, code, dimension, filter, { locale }),

  /** Targets of the filter's years (a district's own where it has one, else the region's) and actuals. */
  async targetsVsActual(db: DbOrTrx, filter: IndicatorFilter): Promise<TargetActual[]> {
    return (await svc.targetsVsActual(db, filter)).map((r) => ({
      target: r.target,
      def: r.indicator,
      actual: r.actual?.value ?? null,
      onTrack: r.onTrack,
    }));
  },

  offTrackDistricts: (db: DbOrTrx, code: string, year: number) => svc.offTrackDistricts(db, code, year),

  listTargets: (db: DbOrTrx): Promise<ProgrammeTarget[]> => svc.listTargets(db),

  /** Runs the engine's checks of a new target without keeping it (for check answers). */
  async checkTarget(db: Db, input: NewTarget, actor: StaffActor): Promise<FieldKeys | null> {
    try {
      await db.transaction().execute(async (trx) => {
        await svc.addTarget(trx, actor, toInput(input));
        throw new DryRun();
      });
    } catch (error) {
      if (error instanceof DryRun) return null;
      if (error instanceof ValidationError) return formFields(error.fields);
      throw error;
    }
    return null;
  },

  async addTarget(db: Db, input: NewTarget, actor: StaffActor): Promise<FieldKeys | null> {
    try {
      await db.transaction().execute((trx) => svc.addTarget(trx, actor, toInput(input)));
      return null;
    } catch (error) {
      if (error instanceof ValidationError) return formFields(error.fields);
      throw error;
    }
  },

  deleteTarget: (db: Db, id: number, actor: StaffActor): Promise<void> =>
    db.transaction().execute((trx) => svc.deleteTarget(trx, actor, id)),
};

const toInput = (i: NewTarget): svc.NewTargetInput => ({
  indicatorCode: i.indicator,
  year: i.year,
  target: i.target,
  source: i.source,
  district: i.district,
});
