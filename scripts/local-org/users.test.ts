/**
 * Users, profiles, roles, queues and permission set assignments through real clients
 * (jsforce, and the sf CLI's `sf data create record`), answered as the platform answers:
 * the required user fields (Object Reference, "User": Username, LastName, Email, Alias,
 * TimeZoneSidKey, LocaleSidKey, EmailEncodingKey, LanguageLocaleKey, ProfileId), a unique
 * email-shaped Username (DUPLICATE_USERNAME), queues as Group Type 'Queue' with GroupMember
 * and QueueSobject, and PermissionSetAssignment to force-app's permission sets.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jsonOf, run, SF_BIN, type Sandbox } from '../cli/test-cli.ts';
import { sfLoggedIn } from './test-sf.ts';
import { rejectsWithCode, startTestOrg, type TestOrg } from './test-org.ts';

interface Named {
  Id: string;
  Name: string;
}

/** The fields the platform requires of a new user, for the profile given. */
function userFields(
  username: string,
  profileId: string
): Record<string, unknown> {
  return {
    Username: username,
    LastName: 'Silva',
    FirstName: 'Ana',
    Email: 'ana.silva@example.com',
    Alias: 'asilva',
    TimeZoneSidKey: 'Europe/Lisbon',
    LocaleSidKey: 'pt_PT',
    EmailEncodingKey: 'UTF-8',
    LanguageLocaleKey: 'en_US',
    ProfileId: profileId
  };
}

describe('users and setup objects through jsforce', () => {
  let t: TestOrg;
  let standardUser: string;

  before(async () => {
    t = await startTestOrg();
    const profiles = await t.conn.query<Named>(
      'SELECT Id, Name FROM Profile ORDER BY Name'
    );
    assert.deepEqual(
      profiles.records.map((p) => p.Name),
      ['Standard User', 'System Administrator']
    );
    standardUser =
      profiles.records.find((p) => p.Name === 'Standard User')?.Id ?? '';
  });
  after(async () => {
    await t.dispose();
  });

  it('the admin the token logs in as has the System Administrator profile', async () => {
    const admin = await t.conn.query<{
      Profile: { Name: string };
      UserType: string;
    }>(
      `SELECT Profile.Name, UserType FROM User WHERE Id = '${t.org.ctx.userId}'`
    );
    assert.equal(admin.records[0]?.Profile.Name, 'System Administrator');
    assert.equal(admin.records[0].UserType, 'Standard');
  });

  it('creates a user with the required fields; the platform fills Name, nickname, type and IsActive', async () => {
    const result = await t.conn
      .sobject('User')
      .create(userFields('Ana.Silva@Example.com', standardUser));
    assert.equal(result.success, true);
    const user = (await t.conn
      .sobject('User')
      .retrieve(result.id)) as unknown as Record<string, unknown>;
    assert.equal(user.Username, 'ana.silva@example.com');
    assert.equal(user.Name, 'Ana Silva');
    assert.equal(user.CommunityNickname, 'ana.silva');
    assert.equal(user.UserType, 'Standard');
    assert.equal(user.IsActive, true);
  });

  it('lists every missing required field (REQUIRED_FIELD_MISSING)', async () => {
    await assert.rejects(
      t.conn.sobject('User').create({ LastName: 'Only' }),
      (error: { errorCode?: string; message?: string }) => {
        assert.equal(error.errorCode, 'REQUIRED_FIELD_MISSING');
        assert.equal(
          error.message,
          'Required fields are missing: [Alias, Email, EmailEncodingKey, LanguageLocaleKey, LocaleSidKey, ProfileId, TimeZoneSidKey, Username]'
        );
        return true;
      }
    );
  });

  it('refuses a taken username in any case (DUPLICATE_USERNAME) and one that is not an email', async () => {
    await t.conn
      .sobject('User')
      .create(userFields('taken@example.com', standardUser));
    await rejectsWithCode(
      t.conn
        .sobject('User')
        .create(userFields('TAKEN@example.com', standardUser)),
      'DUPLICATE_USERNAME'
    );
    await rejectsWithCode(
      t.conn.sobject('User').create(userFields('not-an-email', standardUser)),
      'FIELD_INTEGRITY_EXCEPTION'
    );
  });

  it('refuses a time zone or email encoding outside the restricted picklists', async () => {
    await rejectsWithCode(
      t.conn.sobject('User').create({
        ...userFields('zone@example.com', standardUser),
        TimeZoneSidKey: 'Mars/Olympus'
      }),
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
    );
    await rejectsWithCode(
      t.conn.sobject('User').create({
        ...userFields('enc@example.com', standardUser),
        EmailEncodingKey: 'EBCDIC'
      }),
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST'
    );
  });

  it('refuses a nickname another user holds (DUPLICATE_COMM_NICKNAME)', async () => {
    await rejectsWithCode(
      t.conn.sobject('User').create({
        ...userFields('nick@example.com', standardUser),
        CommunityNickname: 'localadmin'
      }),
      'DUPLICATE_COMM_NICKNAME'
    );
  });

  it('creates roles in a hierarchy and gives a user one', async () => {
    const parent = await t.conn
      .sobject('UserRole')
      .create({ Name: 'Service Director' });
    const child = await t.conn.sobject('UserRole').create({
      Name: 'Service Manager',
      ParentRoleId: parent.id
    });
    const user = await t.conn.sobject('User').create({
      ...userFields('manager@example.com', standardUser),
      UserRoleId: child.id
    });
    const found = await t.conn.query<{ UserRole: { Name: string } }>(
      `SELECT UserRole.Name FROM User WHERE Id = '${user.id ?? ''}'`
    );
    assert.equal(found.records[0]?.UserRole.Name, 'Service Manager');
  });

  it('makes a queue (Group Type Queue) with members and the objects it owns', async () => {
    const queue = await t.conn
      .sobject('Group')
      .create({ Name: 'Tier 2 Support', Type: 'Queue' });
    assert.equal(queue.success, true);
    await t.conn
      .sobject('QueueSobject')
      .create({ QueueId: queue.id, SobjectType: 'Case' });
    await t.conn
      .sobject('GroupMember')
      .create({ GroupId: queue.id, UserOrGroupId: t.org.ctx.userId });
    const found = await t.conn.query<{
      DeveloperName: string;
      GroupMembers: { records: { UserOrGroupId: string }[] };
    }>(
      `SELECT DeveloperName, (SELECT UserOrGroupId FROM GroupMembers) FROM Group WHERE Id = '${queue.id}'`
    );
    assert.equal(found.records[0]?.DeveloperName, 'Tier_2_Support');
    assert.deepEqual(
      found.records[0].GroupMembers.records.map((m) => m.UserOrGroupId),
      [t.org.ctx.userId]
    );
  });

  it('refuses a group type the API may not create, and a queue routing config is not required', async () => {
    await rejectsWithCode(
      t.conn
        .sobject('Group')
        .create({ Name: 'Everyone', Type: 'Organization' }),
      'FIELD_INTEGRITY_EXCEPTION'
    );
  });

  it("assigns force-app's permission sets once per user (DUPLICATE_VALUE the second time)", async () => {
    const sets = await t.conn.query<Named>(
      "SELECT Id, Name FROM PermissionSet WHERE Name = 'Incident_Agent'"
    );
    const setId = sets.records[0]?.Id ?? '';
    assert.notEqual(setId, '');
    const user = await t.conn
      .sobject('User')
      .create(userFields('agent@example.com', standardUser));
    const assignment = await t.conn
      .sobject('PermissionSetAssignment')
      .create({ AssigneeId: user.id, PermissionSetId: setId });
    assert.equal(assignment.success, true);
    await rejectsWithCode(
      t.conn
        .sobject('PermissionSetAssignment')
        .create({ AssigneeId: user.id, PermissionSetId: setId }),
      'DUPLICATE_VALUE'
    );
    const assigned = await t.conn.query<{ PermissionSet: { Name: string } }>(
      `SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '${user.id ?? ''}' AND IsActive = true`
    );
    assert.deepEqual(
      assigned.records.map((a) => a.PermissionSet.Name),
      ['Incident_Agent']
    );
  });
});

describe('sf data create record --sobject User', { timeout: 240_000 }, () => {
  let t: TestOrg;
  let sandbox: Sandbox;

  before(async () => {
    t = await startTestOrg({ forceAppDir: null });
    sandbox = await sfLoggedIn(t, 'users-test');
  });
  after(async () => {
    await t.dispose();
    sandbox.dispose();
  });

  it('creates a user the way an admin would from a terminal', async () => {
    const profile = await t.conn.query<Named>(
      "SELECT Id FROM Profile WHERE Name = 'Standard User'"
    );
    const values = Object.entries(
      userFields('sf.user@example.com', profile.records[0]?.Id ?? '')
    )
      .map(([name, value]) => `${name}='${String(value)}'`)
      .join(' ');
    const created = await run(
      SF_BIN,
      [
        'data',
        'create',
        'record',
        '--sobject',
        'User',
        '--values',
        values,
        '--target-org',
        'users-test',
        '--json'
      ],
      { cwd: sandbox.cwd, env: sandbox.env }
    );
    assert.equal(created.code, 0, created.stdout + created.stderr);
    const output = jsonOf(created) as { result: { id: string } };
    const users = await t.conn.query<{ Username: string }>(
      `SELECT Username FROM User WHERE Id = '${output.result.id}'`
    );
    assert.equal(users.records[0]?.Username, 'sf.user@example.com');
  });
});
