// The EGISSO fact-of-assignment package (schemas/egisso-facts.xsd): records built from the registry,
// the business checks every record passes before export, and the XML. Pure: no database here.
import { createHash } from 'node:crypto';
import { loadSchema, type XmlSchema, xmlEscape } from '../../platform/xml/xml.ts';
import { isValidSnils } from '../registry/snils.ts';
import type { FactOperation, Rejection } from './egisso.schema.ts';

export const NAMESPACE = 'urn:opora:egisso:facts:1';
export const SCHEMA_URL = new URL('./schemas/egisso-facts.xsd', import.meta.url);

export function egissoSchema(): XmlSchema {
  return loadSchema(SCHEMA_URL);
}

/** One fact as EGISSO receives it; stored as JSON with the export state, so it can be cancelled later. */
export interface FactRecord {
  factId: string;
  version: number;
  operation: FactOperation;
  snils: string;
  lastName: string;
  firstName: string;
  patronymic: string | null;
  birthDate: string;
  sex: 'M' | 'F';
  /** ЛМСЗ: our measure code. */
  measureCode: string;
  /** КМСЗ: the EGISSO classifier code; null when the measure has none (a rejection). */
  classifierCode: string | null;
  measureTitle: string;
  category: string;
  decisionDate: string;
  periodStart: string;
  periodEnd: string | null;
  status: 'active' | 'suspended' | 'ended';
  form: EgissoForm;
  amount: number | null;
}

export type EgissoForm = 'cash' | 'in_kind' | 'service';

/** Our measure forms → EGISSO's three: a compensation is paid in money. */
export function egissoForm(form: 'cash' | 'in_kind' | 'service' | 'compensation'): EgissoForm {
  return form === 'compensation' ? 'cash' : form;
}

/**
 * Recipient categories of the registry → the category codes sent (illustrative, shaped like the
 * EGISSO classifier of recipient categories: group.item).
 */
export const CATEGORY_CODES: Readonly<Record<string, string>> = {
  large_family: '01.02',
  single_parent: '01.03',
  orphan: '01.04',
  pensioner: '02.01',
  disabled: '02.02',
  labour_veteran: '03.01',
  war_veteran: '03.02',
  home_front_worker: '03.03',
  low_income: '04.01',
  unemployed: '04.03',
  emergency_victim: '04.04',
};

/**
 * The category the person receives the measure as: the first of the measure's priority categories
 * the person belongs to, else the measure's default category from the classifier table.
 */
export function recipientCategory(
  personCategories: readonly string[],
  measurePriority: readonly string[],
  defaultCategory: string | null,
): string | null {
  for (const c of measurePriority)
    if (personCategories.includes(c) && CATEGORY_CODES[c]) return CATEGORY_CODES[c];
  return defaultCategory;
}

/** Provider code (ОНМСЗ) of an office: the region's code (34, Volgograd oblast) and the office number. */
export function providerCode(officeId: number): string {
  return `3400.${String(officeId).padStart(6, '0')}`;
}

/**
 * The fact id: the same for every version of one assignment's fact for one recipient (a UUID built
 * from a SHA-256, RFC 9562 version 8), so a re-run of a failed export names facts the same way.
 */
export function factIdFor(assignmentId: number, snils: string): string {
  const h = createHash('sha256').update(`opora:egisso:fact:${assignmentId}:${snils}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x80;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

/** Business checks; the XSD check comes after, on the record's XML. */
export function businessProblems(r: FactRecord, provider: string | null): Rejection[] {
  const problems: Rejection[] = [];
  if (!r.classifierCode)
    problems.push({
      code: 'no_classifier_code',
      detail: `${r.measureCode}: no EGISSO classifier code (КМСЗ)`,
    });
  if (!isValidSnils(r.snils))
    problems.push({ code: 'invalid_snils', detail: `SNILS ${r.snils} fails its checksum` });
  if (r.periodEnd !== null && r.periodEnd < r.periodStart)
    problems.push({
      code: 'invalid_period',
      detail: `period ends ${r.periodEnd}, before it starts ${r.periodStart}`,
    });
  if (r.form === 'cash' && !(r.amount !== null && r.amount > 0))
    problems.push({ code: 'amount_missing', detail: `cash measure with amount ${r.amount ?? 'none'}` });
  if (!provider)
    problems.push({ code: 'no_provider', detail: 'the district has no social protection centre' });
  return problems;
}

const el = (name: string, value: string | number) => `<${name}>${xmlEscape(value)}</${name}>`;

export function factXml(r: FactRecord): string {
  return [
    `<Fact factId="${r.factId}" version="${r.version}">`,
    el('Operation', r.operation),
    '<Recipient>',
    el('Snils', r.snils),
    el('LastName', r.lastName),
    el('FirstName', r.firstName),
    r.patronymic ? el('Patronymic', r.patronymic) : '',
    el('BirthDate', r.birthDate),
    el('Sex', r.sex),
    '</Recipient>',
    '<Measure>',
    el('LocalMeasureId', r.measureCode),
    el('ClassifierCode', r.classifierCode ?? ''),
    el('Title', r.measureTitle),
    '</Measure>',
    el('RecipientCategory', r.category),
    el('DecisionDate', r.decisionDate),
    '<Period>',
    el('Start', r.periodStart),
    r.periodEnd ? el('End', r.periodEnd) : '',
    '</Period>',
    el('AssignmentStatus', r.status),
    el('Form', r.form),
    r.amount !== null && r.amount > 0 ? `<Amount unit="RUB">${r.amount.toFixed(2)}</Amount>` : '',
    '</Fact>',
  ].join('');
}

export interface PackageHeader {
  packageId: string;
  providerCode: string;
  providerName: string;
  createdAt: Date;
}

/** A whole package from facts already rendered by factXml. */
export function packageXml(header: PackageHeader, facts: readonly string[]): string {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<Package xmlns="${NAMESPACE}" formatVersion="1.0">\n`,
    '<Header>',
    el('PackageId', header.packageId),
    el('ProviderCode', header.providerCode),
    el('ProviderName', header.providerName),
    el('CreatedAt', header.createdAt.toISOString()),
    el('RecordCount', facts.length),
    '</Header>\n<Facts>\n',
    facts.join('\n'),
    '\n</Facts>\n</Package>\n',
  ].join('');
}

const PROBE_HEADER: PackageHeader = {
  packageId: '00000000-0000-4000-8000-000000000000',
  providerCode: '3400.000000',
  providerName: 'probe',
  createdAt: new Date(0),
};

/** XSD problems of records (from factXml), checked together inside a probe package. */
export function schemaProblems(facts: readonly string[]): Rejection[] {
  return egissoSchema()
    .validate(packageXml(PROBE_HEADER, facts))
    .map((p) => ({ code: 'schema' as const, detail: p.message }));
}
