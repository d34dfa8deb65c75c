// The facts a rule may read about a person and their household, as of the evaluation date.
// This is the contract between the registry (which builds facts), the engine (which type-checks
// rules against FACT_SCHEMA and evaluates them) and the sweep (which streams facts for everyone).
// Every number is a JavaScript number (CEL `double`); write literals in rules as 18.0 or 18.

export interface PersonFacts {
  /** Full years on the evaluation date. */
  age: number;
  sex: 'M' | 'F';
  /** Recipient category codes: pensioner, labour_veteran, disabled, large_family, low_income, … */
  categories: string[];
  /** 1, 2 or 3; 0 when none. */
  disability_group: number;
  /** The person's own monthly income, roubles. */
  monthly_income: number;
  /** District code, e.g. 'volgograd'. */
  district: string;
  /** Lives in a settlement flagged as remote. */
  remote: boolean;
}

export interface HouseholdFacts {
  /** Members including the person. */
  size: number;
  /** Sum of members' monthly incomes divided by size, roubles. */
  per_capita_income: number;
  /** Ages of the household's children (relationship 'child'), youngest first. */
  children_ages: number[];
  /** Children under 18 on the evaluation date. */
  children_under_18: number;
  /** Members aged 0–23 who are children of the household (students count up to 23). */
  children_under_23: number;
  /** Age of the youngest child, or -1 when there are none. */
  youngest_child_age: number;
  /** The household has only one adult (18+) who is a parent of its children. */
  single_parent: boolean;
}

export interface Facts {
  person: PersonFacts;
  household: HouseholdFacts;
  /** Codes of measures assigned to the person and active on the evaluation date. */
  assignments: string[];
}

/** The same schema in cel-js type notation, for type checking rules before they are published. */
export const FACT_SCHEMA = {
  person: {
    age: 'double',
    sex: 'string',
    categories: 'list<string>',
    disability_group: 'double',
    monthly_income: 'double',
    district: 'string',
    remote: 'bool',
  },
  household: {
    size: 'double',
    per_capita_income: 'double',
    children_ages: 'list<double>',
    children_under_18: 'double',
    children_under_23: 'double',
    youngest_child_age: 'double',
    single_parent: 'bool',
  },
  assignments: 'list<string>',
} as const;
