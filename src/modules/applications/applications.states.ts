// The life of a case as data: which action moves it from which state to which, and how the
// statutory clock runs. Pure: no database, no HTTP, so the rules can be read and tested as they are.
import { addWorkingDays, workingDaysBetween } from '../../platform/calendar/calendar.service.ts';
import type { ApplicationState } from './applications.schema.ts';

/** States in which the case is still being worked on (the queue shows these). */
export const OPEN_STATES = [
  'submitted',
  'registered',
  'waiting_resident',
  'waiting_interagency',
  'under_review',
  'suspended',
] as const satisfies readonly ApplicationState[];

export const DECIDED_STATES = ['approved', 'refused'] as const satisfies readonly ApplicationState[];

export type CaseAction =
  | 'register'
  | 'request_documents'
  | 'request_interagency'
  | 'documents_received'
  | 'start_review'
  | 'approve'
  | 'refuse'
  | 'suspend'
  | 'resume'
  | 'withdraw';

/** From which states each action may be taken, and where it leads. */
export const TRANSITIONS: Record<CaseAction, { from: readonly ApplicationState[]; to: ApplicationState }> = {
  register: { from: ['submitted'], to: 'registered' },
  request_documents: { from: ['registered', 'under_review', 'waiting_interagency'], to: 'waiting_resident' },
  request_interagency: { from: ['registered', 'under_review'], to: 'waiting_interagency' },
  documents_received: { from: ['waiting_resident', 'waiting_interagency'], to: 'under_review' },
  start_review: { from: ['registered'], to: 'under_review' },
  approve: { from: ['registered', 'under_review'], to: 'approved' },
  refuse: { from: ['registered', 'under_review'], to: 'refused' },
  suspend: { from: ['registered', 'under_review'], to: 'suspended' },
  resume: { from: ['suspended'], to: 'under_review' },
  withdraw: { from: OPEN_STATES, to: 'withdrawn' },
};

export function canTake(action: CaseAction, state: ApplicationState): boolean {
  return TRANSITIONS[action].from.includes(state);
}

/** Actions a specialist can take on a case in this state (withdrawal is the resident's). */
export function staffActions(state: ApplicationState): CaseAction[] {
  return (Object.keys(TRANSITIONS) as CaseAction[]).filter((a) => a !== 'withdraw' && canTake(a, state));
}

// ------------------------------------------------------------ the statutory clock

/**
 * Interagency requests are answered within 5 working days (210-FZ art. 7.2 part 3); a late answer
 * does not extend the service deadline, so the case clock keeps running while we wait for one.
 */
export const INTERAGENCY_RESPONSE_DAYS = 5;

/** A portal application is registered no later than the next working day after it arrives. */
export const REGISTRATION_DAYS = 1;

/** The decision is due `decisionDays` working days after the day of registration. */
export function deadlineFrom(registeredOn: string, decisionDays: number): string {
  return addWorkingDays(registeredOn, decisionDays);
}

/**
 * Waiting for the resident's own documents stops the clock (the law cannot make us decide on a
 * file the resident has not completed): the deadline moves by the working days spent waiting.
 */
export function resumeClock(
  deadlineOn: string,
  pausedSince: string,
  today: string,
): { deadlineOn: string; pausedDays: number } {
  const pausedDays = Math.max(0, workingDaysBetween(pausedSince, today));
  return { deadlineOn: addWorkingDays(deadlineOn, pausedDays), pausedDays };
}

export type Urgency = 'overdue' | 'due_soon' | 'on_time' | 'paused';

/** Working days left until the deadline (negative when overdue), as the queue shows them. */
export function daysLeft(deadlineOn: string, today: string): number {
  return workingDaysBetween(today, deadlineOn);
}

export function urgencyOf(
  c: { state: ApplicationState; deadline_on: string | null },
  today: string,
): Urgency {
  if (c.state === 'waiting_resident') return 'paused';
  if (!c.deadline_on) return 'on_time';
  const left = daysLeft(c.deadline_on, today);
  if (left < 0) return 'overdue';
  return left <= 2 ? 'due_soon' : 'on_time';
}

// ------------------------------------------------------------ priority and appeals

/**
 * Who is served first (people with disabilities, veterans, large families, emergencies): the
 * region-wide priority categories plus any the measure names for itself.
 */
export const PRIORITY_CATEGORIES = [
  'disabled',
  'war_veteran',
  'labour_veteran',
  'home_front_worker',
  'large_family',
  'emergency_victim',
] as const;

export function priorityReasons(
  person: { categories: string[]; disability_group: number | null },
  measurePriority: string[],
  emergency = false,
): string[] {
  const wanted = new Set<string>([...PRIORITY_CATEGORIES, ...measurePriority]);
  const held = new Set(person.categories);
  if (person.disability_group != null) held.add('disabled');
  const reasons = [...held].filter((c) => wanted.has(c)).sort();
  return emergency ? ['emergency', ...reasons] : reasons;
}

/**
 * A refusal may be appealed within three months of the decision (the period regional
 * administrative regulations and KAS art. 219 give); the appeal is decided within 15 working days
 * of its registration (210-FZ art. 11.2 part 6).
 */
export const APPEAL_MONTHS = 3;
export const APPEAL_DECISION_DAYS = 15;

export function appealOpenUntil(decidedOn: string): string {
  const d = new Date(`${decidedOn}T00:00:00Z`);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + APPEAL_MONTHS, d.getUTCDate()));
  // 30 November + 3 months is the last day of February, not 2 March.
  if (target.getUTCDate() !== d.getUTCDate()) target.setUTCDate(0);
  return target.toISOString().slice(0, 10);
}

// ------------------------------------------------------------ refusal grounds

/** Legal grounds for refusal; a refusal names one and the letter quotes it. */
export const REFUSAL_GROUNDS = {
  not_eligible: {
    ru: 'Заявитель не относится к категории граждан, имеющих право на меру социальной поддержки',
    en: 'The applicant does not belong to the category of citizens entitled to the measure',
  },
  income_above_threshold: {
    ru: 'Среднедушевой доход семьи превышает установленную величину',
    en: 'The per-capita household income exceeds the set threshold',
  },
  incomplete_documents: {
    ru: 'Не представлены документы, обязанность по представлению которых возложена на заявителя',
    en: 'Documents the applicant is required to provide were not provided',
  },
  false_information: {
    ru: 'Представлены недостоверные сведения',
    en: 'The information provided is untrue',
  },
  already_receiving: {
    ru: 'Мера социальной поддержки уже предоставляется заявителю',
    en: 'The applicant already receives this measure',
  },
  not_resident: {
    ru: 'Заявитель не проживает на территории Волгоградской области',
    en: 'The applicant does not live in Volgograd oblast',
  },
} as const;

export type RefusalGround = keyof typeof REFUSAL_GROUNDS;

export const isRefusalGround = (g: string): g is RefusalGround => Object.hasOwn(REFUSAL_GROUNDS, g);
