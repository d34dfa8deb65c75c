import type { Generated } from 'kysely';

export type MeasureForm = 'cash' | 'in_kind' | 'service' | 'compensation';
export type Periodicity = 'one_off' | 'monthly' | 'yearly' | 'as_needed';
export type Channel = 'portal' | 'in_person' | 'proactive';
/** What a listed document is for; only 'evidence' is uploaded on the portal. */
export type DocumentPurpose = 'application_form' | 'identity' | 'bank_details' | 'evidence';
export type Agency = 'sfr' | 'fns' | 'zags' | 'mvd' | 'rosreestr' | 'employment';

interface Titled {
  code: string;
  title_ru: string;
  title_en: string;
}

export interface CatalogTables {
  spheres: Titled & { sort: number };
  life_situations: Titled & { sort: number };
  recipient_categories: Titled;
  measures: {
    id: Generated<number>;
    code: string;
    title_ru: string;
    title_en: string;
    summary_ru: string;
    summary_en: string;
    description_ru: string;
    description_en: string;
    eligibility_ru: string;
    eligibility_en: string;
    sphere_code: string;
    department_id: number;
    legal_basis_ru: string;
    legal_basis_en: string;
    form: MeasureForm;
    periodicity: Periodicity;
    channels: Channel[];
    decision_days: number;
    amount_note_ru: Generated<string>;
    amount_note_en: Generated<string>;
    is_active: Generated<boolean>;
  };
  measure_life_situations: { measure_id: number; life_situation_code: string };
  measure_documents: {
    id: Generated<number>;
    measure_id: number;
    sort: number;
    title_ru: string;
    title_en: string;
    interagency_agency: Agency | null;
    purpose: Generated<DocumentPurpose>;
  };
  measure_priority_categories: { measure_id: number; category_code: string };
  office_measures: { office_id: number; measure_id: number };
}
