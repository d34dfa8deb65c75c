// Every part of the system that keeps rows naming a person, in the order a merge moves them.
// A new table with a person_id (or a foreign key to persons) needs an entry here: the foreign-key
// coverage test in dedup.test.ts fails until it has one, and until then the merge itself fails
// on the foreign key (nothing is deleted while something still refers to the person).
import { applicationsMerge } from '../applications/applications.merge.ts';
import { campaignsMerge } from '../campaigns/campaigns.merge.ts';
import { inboxMerge } from '../inbox/inbox.merge.ts';
import { interagencyMerge } from '../interagency/interagency.merge.ts';
import { notificationsMerge } from '../notifications/notifications.merge.ts';
import { proactiveMerge } from '../proactive/proactive.merge.ts';
import { receptionMerge } from '../reception/reception.merge.ts';
import { assignmentsMerge, householdMerge, type PersonReferences } from '../registry/registry.merge.ts';
import { residentsMerge } from '../residents/residents.merge.ts';
import { surveysMerge } from '../surveys/surveys.merge.ts';

export const PERSON_REFERENCES: readonly PersonReferences[] = [
  // Refusals first, so a refused merge has done nothing worth rolling back.
  residentsMerge,
  receptionMerge,
  householdMerge,
  assignmentsMerge,
  proactiveMerge,
  interagencyMerge,
  applicationsMerge,
  inboxMerge,
  notificationsMerge,
  campaignsMerge,
  surveysMerge,
];

/**
 * Columns that name a person but are not rows about them: history and logs keep the id they had,
 * and dedup's own tables are the merge's record.
 */
export const NOT_MOVED: readonly { table: string; column: string; why: string }[] = [];
