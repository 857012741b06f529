/**
 * The platform's own rules for standard and setup objects that a schema cannot state: what it
 * fills in on create (a user's nickname and user type, a group's developer name, an active
 * permission set assignment) and what it refuses (a username that is not an email address or
 * is taken, an asset with neither account nor contact, a group type the API may not create,
 * a duplicate permission set assignment). The project's own automation (incident severity,
 * SLA) is automation.ts; the audit of which fields are required is AUDITED_NOT_REQUIRED in
 * the schema generator. Error codes and texts are the platform's, as its API answers them.
 */
import type { ObjectSchema } from '../schema/types.ts';
import type { OrgContext } from './context.ts';
import { RecordError } from './errors.ts';
import type { Row } from './storage.ts';

/** Group types a client may create (Group's object reference: "Only Personal, Regular, and Queue"). */
const CREATABLE_GROUP_TYPES = new Set(['Regular', 'Queue', 'Personal']);

/** The platform's username rule: an email address (it stores it in lower case). */
const USERNAME = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Fills what the platform derives before validation; mutates `row` (the changes, on update). */
export function platformDefaults(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  switch (object.name) {
    case 'User':
      if (typeof row.Username === 'string')
        row.Username = row.Username.toLowerCase();
      if (!before) {
        if (row.CommunityNickname === null || !('CommunityNickname' in row))
          row.CommunityNickname = freeNickname(ctx, object, row);
        row.UserType = userTypeOf(ctx, row.ProfileId);
      } else if ('ProfileId' in row) {
        row.UserType = userTypeOf(ctx, row.ProfileId);
      }
      break;
    case 'Group':
      if (!before && (row.DeveloperName ?? null) === null)
        row.DeveloperName = developerName(row.Name);
      break;
    case 'PermissionSetAssignment':
      if (!before) row.IsActive = 1;
      break;
    default:
  }
}

/** Checks the platform's rules once the row is complete (`row` holds all values, merged on update). */
export function checkPlatformRules(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  switch (object.name) {
    case 'User':
      checkUser(ctx, object, row, before);
      break;
    case 'Asset':
      if ((row.AccountId ?? null) === null && (row.ContactId ?? null) === null)
        throw new RecordError(
          'FIELD_INTEGRITY_EXCEPTION',
          'Every asset needs an account, a contact, or both.',
          ['AccountId', 'ContactId']
        );
      break;
    case 'Group':
      if (!before && !CREATABLE_GROUP_TYPES.has(String(row.Type)))
        throw new RecordError(
          'FIELD_INTEGRITY_EXCEPTION',
          `Type: only Regular, Queue and Personal groups can be created, not ${String(row.Type)}`,
          ['Type']
        );
      if (before?.DeveloperName !== row.DeveloperName)
        unique(ctx, object, row, 'DeveloperName', 'DUPLICATE_DEVELOPER_NAME');
      break;
    case 'PermissionSetAssignment':
      if (!before) checkAssignment(ctx, row);
      break;
    default:
  }
}

function checkUser(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  before: Row | undefined
): void {
  const username = String(row.Username ?? '');
  if (before?.Username === row.Username) return;
  if (!USERNAME.test(username))
    throw new RecordError(
      'FIELD_INTEGRITY_EXCEPTION',
      'Username must be in the form of an email address (for example, john@acme.com)',
      ['Username']
    );
  unique(ctx, object, row, 'Username', 'DUPLICATE_USERNAME');
  if (before?.CommunityNickname !== row.CommunityNickname)
    unique(ctx, object, row, 'CommunityNickname', 'DUPLICATE_COMM_NICKNAME');
}

const DUPLICATE_MESSAGES: Record<string, string> = {
  DUPLICATE_USERNAME:
    "Duplicate Username.<br>The username already exists in this or another Salesforce organization. Usernames must be unique across all Salesforce organizations. To resolve, use a different username (it doesn't need to match the user's email address). ",
  DUPLICATE_COMM_NICKNAME:
    'Duplicate Nickname.<br>Another user has already selected this nickname.<br>Please select another.',
  DUPLICATE_DEVELOPER_NAME:
    'This Group Name already exists or has been previously used.  Please choose a different name.'
};

/** Another record holding the same value (case-insensitive, as these names are) is refused. */
function unique(
  ctx: OrgContext,
  object: ObjectSchema,
  row: Row,
  fieldName: string,
  errorCode: string
): void {
  const field = ctx.registry.field(object.name, fieldName);
  const value = row[fieldName] ?? null;
  if (!field || value === null) return;
  const others = ctx.store
    .findBy(object, field, value)
    .filter((id) => id !== row.Id);
  if (others.length > 0)
    throw new RecordError(errorCode, DUPLICATE_MESSAGES[errorCode] ?? '', [
      fieldName
    ]);
}

function checkAssignment(ctx: OrgContext, row: Row): void {
  const setId = row.PermissionSetId ?? null;
  if (setId === null && (row.PermissionSetGroupId ?? null) === null)
    throw new RecordError(
      'REQUIRED_FIELD_MISSING',
      'Required fields are missing: [PermissionSetId]',
      ['PermissionSetId']
    );
  const duplicate = ctx.store
    .prepared(
      'SELECT "Id" FROM "PermissionSetAssignment" WHERE "AssigneeId" = ? AND "PermissionSetId" = ? LIMIT 1'
    )
    .get(row.AssigneeId, setId);
  if (duplicate !== undefined)
    throw new RecordError(
      'DUPLICATE_VALUE',
      `Duplicate PermissionSetAssignment. Assignee: ${String(row.AssigneeId)}, PermissionSet: ${String(setId)}`,
      []
    );
}

/** A nickname from the username's local part, numbered when taken (the platform's own scheme). */
function freeNickname(ctx: OrgContext, object: ObjectSchema, row: Row): string {
  const field = ctx.registry.field(object.name, 'CommunityNickname');
  const base = String(row.Username ?? row.LastName ?? 'user')
    .split('@')[0]
    ?.slice(0, 30);
  let candidate = base ?? 'user';
  for (
    let n = 1;
    field && ctx.store.findBy(object, field, candidate).length > 0;
    n++
  )
    candidate = `${base ?? 'user'}${String(n)}`;
  return candidate;
}

function userTypeOf(ctx: OrgContext, profileId: unknown): string | null {
  if (typeof profileId !== 'string') return null;
  const profile = ctx.registry.object('Profile');
  const row = profile ? ctx.store.get(profile, profileId) : undefined;
  return typeof row?.UserType === 'string' ? row.UserType : 'Standard';
}

/** The platform's generated DeveloperName: the name with non-alphanumerics as single underscores. */
function developerName(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const cleaned = name
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
  if (cleaned === '') return null;
  return /^[A-Za-z]/.test(cleaned) ? cleaned : `X${cleaned}`;
}
