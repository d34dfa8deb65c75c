// The ordered list of migrations. Add a new file and a line here; never edit a landed migration.
import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_domain_core.ts';
import * as m0003 from './0003_rules_and_assignments.ts';
import * as m0004 from './0004_sweep_informed.ts';
import * as m0005 from './0005_applications.ts';
import * as m0006 from './0006_reception.ts';
import * as m0007 from './0007_notifications.ts';
import * as m0008 from './0008_campaigns.ts';
import * as m0009 from './0009_audit_chain_after_commit.ts';
import * as m0010 from './0010_interagency.ts';
import * as m0011 from './0011_dedup.ts';
import * as m0012 from './0012_imports.ts';
import * as m0013 from './0013_egisso.ts';
import * as m0014 from './0014_agency_events.ts';
import * as m0015 from './0015_quality.ts';
import * as m0016 from './0016_surveys.ts';
import * as m0017 from './0017_blobs_inline.ts';
import * as m0018 from './0018_survey_collection.ts';
import * as m0019 from './0019_accessibility_audits.ts';
import * as m0020 from './0020_quality_statement_triggers.ts';
import * as m0021 from './0021_questionnaire_drafts.ts';
import * as m0022 from './0022_blobs_packed.ts';
import * as m0023 from './0023_audit_chain_table.ts';

export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_domain_core': m0002,
  '0003_rules_and_assignments': m0003,
  '0004_sweep_informed': m0004,
  '0005_applications': m0005,
  '0006_reception': m0006,
  '0007_notifications': m0007,
  '0008_campaigns': m0008,
  '0009_audit_chain_after_commit': m0009,
  '0010_interagency': m0010,
  '0011_dedup': m0011,
  '0012_imports': m0012,
  '0013_egisso': m0013,
  '0014_agency_events': m0014,
  '0015_quality': m0015,
  '0016_surveys': m0016,
  '0017_blobs_inline': m0017,
  '0018_survey_collection': m0018,
  '0019_accessibility_audits': m0019,
  '0020_quality_statement_triggers': m0020,
  '0021_questionnaire_drafts': m0021,
  '0022_blobs_packed': m0022,
  '0023_audit_chain_table': m0023,
};
