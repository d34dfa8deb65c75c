// The ordered list of migrations. Add a new file and a line here; never edit a landed migration.
import type { Migration } from 'kysely';
import * as m0001 from './0001_platform.ts';
import * as m0002 from './0002_domain_core.ts';
import * as m0003 from './0003_rules_and_assignments.ts';
import * as m0004 from './0004_sweep_informed.ts';
import * as m0005 from './0005_applications.ts';

export const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_domain_core': m0002,
  '0003_rules_and_assignments': m0003,
  '0004_sweep_informed': m0004,
  '0005_applications': m0005,
};
