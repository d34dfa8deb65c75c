// Every indicator, defined once. The formula in words is the message quality.indicator.<code>.formula
// (ru + en) and the full definition — sources, what counts and what does not — is docs/indicators.md.
// quality.service.ts computes each code; a code added here without a computation fails its test.
import type { Dimension, IndicatorDefinition } from './quality.types.ts';

const ALL: readonly Dimension[] = ['channel', 'district', 'measure', 'month'];

function def(
  code: string,
  unit: IndicatorDefinition['unit'],
  better: IndicatorDefinition['better'],
  dimensions: readonly Dimension[],
  available = true,
  counts: IndicatorDefinition['counts'] = 'people',
): IndicatorDefinition {
  const criterion = code.split('.')[0] as IndicatorDefinition['criterion'];
  return {
    code,
    criterion,
    unit,
    better,
    dimensions,
    titleKey: `quality.indicator.${code}.title`,
    formulaKey: `quality.indicator.${code}.formula`,
    available,
    counts,
  };
}

export const INDICATORS: readonly IndicatorDefinition[] = [
  // Accessibility
  def('accessibility.measures_on_portal', 'share', 'higher', []),
  def('accessibility.submitted_electronically', 'share', 'higher', ALL),
  def('accessibility.days_to_free_appointment', 'days', 'lower', ['district']),
  def('accessibility.remote_served_by_visits', 'share', 'higher', ['district', 'month']),
  // Offices and portal pages, not people: an office's audit is public, small cells are not hidden.
  def(
    'accessibility.offices_pages_accessible',
    'share',
    'higher',
    ['channel', 'district', 'month'],
    true,
    'places',
  ),
  // Priority
  def('priority.decision_days_priority', 'days', 'lower', ALL),
  def('priority.decision_days_others', 'days', 'lower', ALL),
  def('priority.appointment_wait_priority', 'days', 'lower', ['district', 'measure', 'month']),
  def('priority.appointment_wait_others', 'days', 'lower', ['district', 'measure', 'month']),
  def('priority.decided_first', 'share', 'higher', ALL),
  // Timeliness
  def('timeliness.decided_on_time', 'share', 'higher', ALL),
  def('timeliness.decision_days_median', 'days', 'lower', ALL),
  def('timeliness.decision_days_p90', 'days', 'lower', ALL),
  def('timeliness.overdue_now', 'count', 'lower', ['channel', 'district', 'measure']),
  def('timeliness.interagency_on_time', 'share', 'higher', ['district', 'month']),
  // Documentation
  def('documentation.file_complete', 'share', 'higher', ALL),
  def('documentation.docs_asked_per_application', 'count', 'lower', ALL),
  def('documentation.docs_obtained_per_application', 'count', 'higher', ALL),
  def('documentation.legal_basis_recorded', 'share', 'higher', ALL),
  def('documentation.egisso_exported', 'share', 'higher', ['district']),
  // Satisfaction: top-two-box of the survey waves' satisfaction question (surveys.quality.ts). Survey
  // responses have no measure.
  def('satisfaction.overall', 'share', 'higher', ['channel', 'district', 'month']),
];

const BY_CODE = new Map(INDICATORS.map((d) => [d.code, d]));

export function indicatorByCode(code: string): IndicatorDefinition | undefined {
  return BY_CODE.get(code);
}

/** Indicators whose figure is "now" (no month dimension): a period filter does not apply to them. */
export const isSnapshot = (d: IndicatorDefinition): boolean => !d.dimensions.includes('month');
