/**
 * What a new org already has before anyone calls the API: the organization, the admin user
 * the token logs in as, and the default business hours (24x7, like a new org's "Default").
 * Inserted once, on a fresh database. The standard profiles and force-app's permission sets
 * are made sure of at every start (provisionSetup), so databases older than them get them too.
 */
import { randomInt } from 'node:crypto';
import { beforeWrite } from './automation.ts';
import type { OrgContext } from './context.ts';
import { weekdayFields } from './business-hours.ts';
import { objectOrThrow } from './dml.ts';
import { makeId } from './ids.ts';
import type { SourcePermissionSet } from '../schema/force-app-source.ts';
import { getMeta, nextId, setMeta, type Row } from './storage.ts';
import { toColumn } from './values.ts';

/**
 * Inserts a platform-provisioned record without API validation (its lookups, like ProfileId,
 * point at setup objects the local org does not model), with the fields the platform derives
 * (a user's Name).
 */
export function provision(
  ctx: OrgContext,
  type: string,
  id: string,
  values: Record<string, unknown>
): void {
  const object = objectOrThrow(ctx, type);
  const now = ctx.now();
  const stamp = now.toISOString();
  const row: Row = { Id: id };
  for (const [name, value] of Object.entries({
    CreatedDate: stamp,
    LastModifiedDate: stamp,
    SystemModstamp: stamp,
    CreatedById: ctx.userId,
    LastModifiedById: ctx.userId,
    ...values
  })) {
    const field = ctx.registry.field(object.name, name);
    if (field) row[field.name] = toColumn(field, value);
  }
  beforeWrite(
    { store: ctx.store, registry: ctx.registry, now },
    object,
    row,
    undefined
  );
  ctx.store.insert(object, row);
}

export interface Identity {
  orgId: string;
  userId: string;
  username: string;
}

/** The admin's email: the same in every local org (emails need not be unique), so plans name it. */
export const ADMIN_EMAIL = 'admin@incident-console.local';

/**
 * The org and user ids, created on first start and kept in the database. Each database is its
 * own org, as every real org has its own id and its usernames are unique across all orgs: a
 * random org number gives the org id and the admin's username, so two local orgs (a sync's
 * source and hub, two terminals) never look like one org nor share an sf auth store entry.
 */
export function identityOf(ctx: Pick<OrgContext, 'db'>): Identity {
  const saved = getMeta(ctx.db, 'identity');
  if (saved) return JSON.parse(saved) as Identity;
  // Up to 2^47: fits makeId's nine base-62 digits and randomInt's range.
  const n = randomInt(1, 2 ** 47);
  const identity = {
    orgId: makeId('00D', n),
    userId: nextId(ctx.db, '005'),
    username: `admin@org${n.toString(36)}.incident-console.local`
  };
  setMeta(ctx.db, 'identity', JSON.stringify(identity));
  return identity;
}

export function seedNewOrg(ctx: OrgContext): boolean {
  if (getMeta(ctx.db, 'seeded') === 'yes') return false;
  provision(ctx, 'Organization', ctx.orgId, {
    Name: 'Incident Console Local Org',
    OrganizationType: 'Developer Edition',
    InstanceName: 'LOCAL',
    // Read as a scratch org, as the platform marks one (IsSandbox and a trial expiry; core's
    // Org.determineIfScratch): a throwaway org where tools may create users. It never expires.
    IsSandbox: true,
    TrialExpirationDate: '2099-12-31T00:00:00.000Z',
    TimeZoneSidKey: ctx.timeZone,
    LanguageLocaleKey: 'en_US',
    DefaultLocaleSidKey: 'en_US'
  });
  provision(ctx, 'User', ctx.userId, {
    Username: ctx.username,
    LastName: 'Admin',
    FirstName: 'Local',
    Alias: 'ladmin',
    Email: ADMIN_EMAIL,
    CommunityNickname: 'localadmin',
    IsActive: true,
    TimeZoneSidKey: ctx.timeZone,
    LocaleSidKey: 'en_US',
    LanguageLocaleKey: 'en_US',
    EmailEncodingKey: 'UTF-8'
  });
  const hours = objectOrThrow(ctx, 'BusinessHours');
  const allDay: Record<string, string> = {};
  for (const { start, end } of weekdayFields(hours)) {
    allDay[start] = '00:00:00.000Z';
    allDay[end] = '00:00:00.000Z';
  }
  provision(ctx, 'BusinessHours', nextId(ctx.db, hours.keyPrefix), {
    Name: 'Default',
    IsActive: true,
    IsDefault: true,
    TimeZoneSidKey: ctx.timeZone,
    ...allDay
  });
  setMeta(ctx.db, 'seeded', 'yes');
  return true;
}

/** The profiles every org has that clients ask for by name; both hold standard user licences. */
export const STANDARD_PROFILES = ['System Administrator', 'Standard User'];

function idByName(
  ctx: OrgContext,
  type: string,
  name: string
): string | undefined {
  const object = objectOrThrow(ctx, type);
  const field = ctx.registry.field(type, 'Name');
  return field ? ctx.store.findBy(object, field, name, 1)[0] : undefined;
}

/**
 * The standard profiles (the admin user gets System Administrator) and a PermissionSet record
 * per force-app permission set, as a deploy creates them; a changed label is updated.
 */
export function provisionSetup(
  ctx: OrgContext,
  permissionSets: readonly SourcePermissionSet[]
): void {
  for (const name of STANDARD_PROFILES) {
    if (idByName(ctx, 'Profile', name)) continue;
    provision(ctx, 'Profile', nextId(ctx.db, '00e'), {
      Name: name,
      UserType: 'Standard'
    });
  }
  const user = objectOrThrow(ctx, 'User');
  const admin = ctx.store.get(user, ctx.userId);
  if (admin?.ProfileId === null) {
    ctx.store.update(user, ctx.userId, {
      ProfileId: idByName(ctx, 'Profile', 'System Administrator') ?? null,
      UserType: 'Standard'
    });
  }
  const sets = objectOrThrow(ctx, 'PermissionSet');
  for (const set of permissionSets) {
    const values = {
      Name: set.name,
      Label: set.label,
      Description: set.description
    };
    const id = idByName(ctx, 'PermissionSet', set.name);
    if (id === undefined)
      provision(ctx, 'PermissionSet', nextId(ctx.db, '0PS'), values);
    else
      ctx.store.update(sets, id, {
        Label: set.label,
        Description: set.description
      });
  }
}
