// The dictionaries: the platform's own messages plus each feature's. English must have every key.
import * as applications from '../../modules/applications/applications.messages.ts';
import * as applicationsPortal from '../../modules/applications/applications.portal.messages.ts';
import * as applicationsStaff from '../../modules/applications/applications.staff.messages.ts';
import * as campaigns from '../../modules/campaigns/campaigns.messages.ts';
import * as catalog from '../../modules/catalog/catalog.messages.ts';
import * as dedup from '../../modules/dedup/dedup.messages.ts';
import * as egisso from '../../modules/egisso/egisso.messages.ts';
import * as entitlements from '../../modules/entitlements/entitlements.messages.ts';
import * as imports from '../../modules/imports/imports.messages.ts';
import * as interagency from '../../modules/interagency/interagency.messages.ts';
import * as notifications from '../../modules/notifications/notifications.messages.ts';
import * as proactive from '../../modules/proactive/proactive.messages.ts';
import * as quality from '../../modules/quality/quality.messages.ts';
import * as qualityPages from '../../modules/quality/quality.pages.messages.ts';
import * as reception from '../../modules/reception/reception.messages.ts';
import * as registry from '../../modules/registry/registry.messages.ts';
import * as residents from '../../modules/residents/residents.messages.ts';
import * as rules from '../../modules/rules/rules.messages.ts';
import * as staff from '../../modules/staff/staff.messages.ts';
import * as surveysAnalysis from '../../modules/surveys/surveys.analysis.messages.ts';
import * as surveysCollect from '../../modules/surveys/surveys.collect.messages.ts';
import * as surveysDesigner from '../../modules/surveys/surveys.designer.messages.ts';
import * as surveysInterviews from '../../modules/surveys/surveys.interviews.messages.ts';
import * as surveys from '../../modules/surveys/surveys.messages.ts';
import * as surveysSample from '../../modules/surveys/surveys.sample.messages.ts';
import * as platform from './platform.messages.ts';

export const ru = {
  ...platform.ru,
  ...catalog.ru,
  ...registry.ru,
  ...staff.ru,
  ...residents.ru,
  ...rules.ru,
  ...proactive.ru,
  ...entitlements.ru,
  ...applications.ru,
  ...applicationsPortal.ru,
  ...applicationsStaff.ru,
  ...reception.ru,
  ...notifications.ru,
  ...campaigns.ru,
  ...interagency.ru,
  ...dedup.ru,
  ...imports.ru,
  ...egisso.ru,
  ...quality.ru,
  ...surveys.ru,
  ...surveysDesigner.ru,
  ...surveysCollect.ru,
  ...surveysSample.ru,
  ...surveysInterviews.ru,
  ...surveysAnalysis.ru,
  ...qualityPages.ru,
};
export const en: { [K in keyof typeof ru]: (typeof ru)[K] extends string ? string : Plural } = {
  ...platform.en,
  ...catalog.en,
  ...registry.en,
  ...staff.en,
  ...residents.en,
  ...rules.en,
  ...proactive.en,
  ...entitlements.en,
  ...applications.en,
  ...applicationsPortal.en,
  ...applicationsStaff.en,
  ...reception.en,
  ...notifications.en,
  ...campaigns.en,
  ...interagency.en,
  ...dedup.en,
  ...imports.en,
  ...egisso.en,
  ...quality.en,
  ...surveys.en,
  ...surveysDesigner.en,
  ...surveysCollect.en,
  ...surveysSample.en,
  ...surveysInterviews.en,
  ...surveysAnalysis.en,
  ...qualityPages.en,
};

import type { Plural } from './i18n.ts';
