// Who is making a request, and which districts they may see. District scoping is decided here, once.
import type { StaffRole } from '../../modules/staff/staff.schema.ts';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'resident'; accountId: number; personId: number; sessionId: string }
  | {
      kind: 'staff';
      userId: number;
      login: string;
      fullName: string;
      role: StaffRole;
      /** Districts a district role works in; ministry-wide roles see every district. */
      districtIds: number[];
      sessionId: string;
    };

export type StaffActor = Extract<Actor, { kind: 'staff' }>;
export type ResidentActor = Extract<Actor, { kind: 'resident' }>;

/** Roles that work region-wide rather than in their own districts. */
export const REGION_WIDE_ROLES: readonly StaffRole[] = ['ministry_analyst', 'administrator', 'researcher'];

export type DistrictScope = { all: true } | { all: false; districtIds: number[] };

export function scopeOf(actor: StaffActor): DistrictScope {
  return REGION_WIDE_ROLES.includes(actor.role)
    ? { all: true }
    : { all: false, districtIds: actor.districtIds };
}

export function inScope(scope: DistrictScope, districtId: number): boolean {
  return scope.all || scope.districtIds.includes(districtId);
}

/** Who may call a route: everyone, a signed-in resident, or staff with one of the roles. */
export type Access = 'public' | 'resident' | 'staff' | readonly StaffRole[];
