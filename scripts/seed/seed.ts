/**
 * seedPlan: puts an incident plan into an org. It reads the org first (one query per kind of
 * record), works out the difference with the plan, and writes only that: users and key accounts
 * the plan needs, custom metadata through the Metadata API (200 components a call), the roster
 * by upsert on External_Id__c through sObject Collections (200 a call). A dry run reads and
 * writes nothing; a second run finds no changes and writes nothing.
 */
import {
  OrgClient,
  soqlList,
  type CustomMetadataComponent,
  type OrgConnection,
  type RecordError,
  type RecordOutcome
} from '../org-client/index.ts';
import {
  PlanError,
  expertiseText,
  severityRuleValues,
  slaPolicyValues,
  commTemplateValues,
  updateMinutesBySeverity,
  type PlanProblem
} from './plan.ts';
import type { Plan, PlanMember } from './plan-schema.ts';
import { RESPONSE_STEP_TYPE, responseStepValues } from '../respond/plan.ts';
import {
  businessHoursNames,
  businessHoursProblems,
  readAccounts,
  readBusinessHours,
  readUsers,
  resolveAccounts,
  resolveUsers,
  userRefs,
  type OrgAccount,
  type OrgUser
} from './references.ts';
import {
  readRoster,
  ROSTER_FIELDS,
  ROSTER_OBJECT,
  type RosterField,
  type RosterRow
} from './roster.ts';

const RULE_TYPE = 'Incident_Severity_Rule';
const POLICY_TYPE = 'Incident_Sla_Policy';
const TEMPLATE_TYPE = 'Incident_Comm_Template';
const LEVEL_LABELS = ['High', 'Medium', 'Low'];

export interface SeedOptions {
  dryRun?: boolean;
  /** Deactivate (never delete) active roster members the plan does not list. */
  prune?: boolean;
  /** Create the plan's users that do not exist (scratch orgs, sandboxes, the local org). */
  createUsers?: boolean;
  /** Names the plan in problems; default 'incident plan'. */
  file?: string;
}

/** What is in the plan and not in the org, or differs. */
export type SeedChange =
  | {
      kind: 'added';
      section: SeedSection;
      key: string;
      fields: Record<string, unknown>;
    }
  | {
      kind: 'changed';
      section: SeedSection;
      key: string;
      fields: FieldChange[];
    }
  | { kind: 'deactivated'; section: 'roster'; key: string; name: string };

export type SeedSection =
  | 'severityMatrix'
  | 'slaPolicy'
  | 'roster'
  | 'users'
  | 'keyAccounts'
  | 'communications'
  | 'responsePlan';

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** A record the org refused; the others were written. */
export interface SeedFailure {
  section: SeedSection;
  key: string;
  errors: RecordError[];
}

export interface SeedResult {
  dryRun: boolean;
  /** True when the org already holds the plan: nothing was (or would be) written. */
  noChanges: boolean;
  changes: SeedChange[];
  /** Records written, per section (0 in a dry run). */
  written: Record<SeedSection, number>;
  failures: SeedFailure[];
  /** Things the seed does not change but the admin should know (extra metadata records). */
  warnings: string[];
  apiCalls: number;
  callsByEndpoint: Record<string, number>;
  retries: number;
}

interface MetadataRow {
  DeveloperName: string;
  MasterLabel: string;
  [field: string]: unknown;
}

/** Puts `plan` into the org; see the module comment. Throws PlanError for unresolved references. */
export async function seedPlan(
  conn: OrgConnection | OrgClient,
  plan: Plan,
  options: SeedOptions = {}
): Promise<SeedResult> {
  const client = OrgClient.of(conn);
  const startCalls = client.apiCalls;
  const dryRun = options.dryRun ?? false;
  const [rules, policies, hours, users, accounts, roster, templates, steps] =
    await Promise.all([
      client.queryAll<MetadataRow>(
        `SELECT DeveloperName, MasterLabel, Urgency__c, Impact__c, Severity__c, Priority__c FROM ${RULE_TYPE}__mdt ORDER BY DeveloperName`
      ),
      client.queryAll<MetadataRow>(
        `SELECT DeveloperName, MasterLabel, Severity__c, Response_Minutes__c, Resolution_Minutes__c, Warning_Percent__c, Business_Hours__c, Update_Minutes__c FROM ${POLICY_TYPE}__mdt ORDER BY DeveloperName`
      ),
      readBusinessHours(client, businessHoursNames(plan)),
      readUsers(client, userRefs(plan)),
      readAccounts(client, plan),
      readRoster(client),
      // Read only when the plan has templates to seed: an org without them deployed can still
      // take the rest of the plan.
      commTemplateValues(plan).length === 0
        ? Promise.resolve([])
        : client.queryAll<MetadataRow>(
            `SELECT DeveloperName, MasterLabel, Stage__c, Subject__c, Body__c FROM ${TEMPLATE_TYPE}__mdt ORDER BY DeveloperName`
          ),
      // Likewise the response plan's steps, only for a plan with a responsePlan section.
      plan.responsePlan === undefined
        ? Promise.resolve([])
        : client.queryAll<MetadataRow>(
            `SELECT DeveloperName, MasterLabel, Severity__c, Trigger__c, Action__c, Order__c, Status_Value__c FROM ${RESPONSE_STEP_TYPE}__mdt ORDER BY DeveloperName`
          )
    ]);

  const missingUsers = options.createUsers ? usersToCreate(plan, users) : [];
  const toCreate = new Set(missingUsers.map((u) => u.Username.toLowerCase()));
  const { userOf, problems: userProblems } = resolveUsers(
    plan,
    users,
    toCreate
  );
  const { accountOf, problems: accountProblems } = resolveAccounts(
    plan,
    accounts
  );
  const problems: PlanProblem[] = [
    ...businessHoursProblems(plan, hours),
    ...creatableProblems(missingUsers),
    ...accountProblems,
    ...userProblems
  ];
  if (problems.length > 0)
    throw new PlanError(options.file ?? 'incident plan', problems);

  const changes: SeedChange[] = [];
  const warnings: string[] = [];
  const written = emptyCounts();
  const failures: SeedFailure[] = [];

  // Users and key accounts first: roster members point at them.
  for (const user of missingUsers)
    changes.push({
      kind: 'added',
      section: 'users',
      key: user.Username,
      fields: { ...user }
    });
  const accountWork = keyAccountWork(plan, accounts);
  changes.push(...accountWork.changes);

  const metadata = metadataWork(
    plan,
    rules,
    policies,
    templates,
    steps,
    warnings
  );
  changes.push(...metadata.changes);

  if (!dryRun) {
    if (missingUsers.length > 0) {
      const created = await createUsers(client, missingUsers);
      written.users = created.written;
      failures.push(...created.failures);
      for (const user of created.users) users.add(user);
    }
    const accountsWritten = await writeKeyAccounts(client, accountWork);
    written.keyAccounts = accountsWritten.written;
    failures.push(...accountsWritten.failures);
    accounts.push(...accountsWritten.created);
    if (metadata.components.length > 0) {
      const outcomes = await client.upsertMetadata(metadata.components);
      outcomes.forEach((outcome, index) => {
        if (outcome.success)
          written[metadata.sections[index] ?? 'severityMatrix']++;
        else
          failures.push({
            section: metadata.sections[index] ?? 'severityMatrix',
            key: outcome.fullName,
            errors: outcome.errors
          });
      });
    }
  }

  // Members whose new user or account was not written cannot be seeded honestly: they are
  // reported as failures rather than written without the lookup.
  const blocked = new Set(
    failures.map((f) => `${f.section}:${f.key.toLowerCase()}`)
  );
  const rosterWork = rosterChanges(plan, roster, {
    userFor: (member, index) => {
      return (
        userOf[index] ??
        (member.user ? asUser(users.find(member.user)) : undefined)
      );
    },
    accountFor: (index) => {
      const found = accountOf[index];
      if (found === undefined || !('create' in found)) return found;
      return accounts.find(
        (a) => a.Name.toLowerCase() === found.create.toLowerCase()
      );
    },
    prune: options.prune ?? false,
    dryRun
  });
  changes.push(...rosterWork.changes);

  if (!dryRun) {
    const upserts = rosterWork.upserts.filter(({ member }) => {
      const reason =
        (member.user !== undefined &&
          blocked.has(`users:${member.user.toLowerCase()}`)) ||
        (typeof member.account === 'string' &&
          blocked.has(`keyAccounts:${member.account.toLowerCase()}`));
      if (reason)
        failures.push({
          section: 'roster',
          key: member.key,
          errors: [
            {
              statusCode: 'DEPENDENCY_FAILED',
              message:
                'its user or account could not be created; see that failure'
            }
          ]
        });
      return !reason;
    });
    if (upserts.length > 0) {
      const outcomes = await client.upsertRecords(
        ROSTER_OBJECT,
        'External_Id__c',
        upserts.map((u) => u.record)
      );
      tally(
        outcomes,
        upserts.map((u) => u.record.External_Id__c as string),
        'roster',
        written,
        failures
      );
    }
    if (rosterWork.deactivations.length > 0) {
      const outcomes = await client.updateRecords(
        ROSTER_OBJECT,
        rosterWork.deactivations.map((row) => ({
          Id: row.Id,
          Active__c: false
        }))
      );
      tally(
        outcomes,
        rosterWork.deactivations.map((row) => row.External_Id__c ?? row.Id),
        'roster',
        written,
        failures
      );
    }
  }

  return {
    dryRun,
    noChanges: changes.length === 0,
    changes,
    written,
    failures,
    warnings,
    apiCalls: client.apiCalls - startCalls,
    callsByEndpoint: client.callsByEndpoint,
    retries: client.retries
  };
}

function asUser(found: OrgUser | OrgUser[] | undefined): OrgUser | undefined {
  return Array.isArray(found) ? undefined : found;
}

function emptyCounts(): Record<SeedSection, number> {
  return {
    severityMatrix: 0,
    slaPolicy: 0,
    roster: 0,
    users: 0,
    keyAccounts: 0,
    communications: 0,
    responsePlan: 0
  };
}

function tally(
  outcomes: RecordOutcome[],
  keys: string[],
  section: SeedSection,
  written: Record<SeedSection, number>,
  failures: SeedFailure[]
): void {
  outcomes.forEach((outcome, index) => {
    if (outcome.success) written[section]++;
    else
      failures.push({
        section,
        key: keys[index] ?? '?',
        errors: outcome.errors
      });
  });
}

// ---------------------------------------------------------------------------------------------
// Custom metadata: the matrix and the SLA policy
// ---------------------------------------------------------------------------------------------

/** Blank and missing read the same: Salesforce returns null for an empty field. */
function same(a: unknown, b: unknown): boolean {
  const norm = (v: unknown): unknown =>
    v === '' || v === undefined ? null : v;
  const x = norm(a);
  const y = norm(b);
  if (typeof x === 'number' || typeof y === 'number')
    return Number(x) === Number(y) && x !== null && y !== null;
  return x === y;
}

function metadataWork(
  plan: Plan,
  rules: MetadataRow[],
  policies: MetadataRow[],
  templates: MetadataRow[],
  steps: MetadataRow[],
  warnings: string[]
): {
  changes: SeedChange[];
  components: CustomMetadataComponent[];
  sections: SeedSection[];
} {
  const changes: SeedChange[] = [];
  const components: CustomMetadataComponent[] = [];
  const sections: SeedSection[] = [];
  const cadence = updateMinutesBySeverity(plan);
  const plan1 = (
    section: SeedSection,
    type: string,
    existing: MetadataRow[],
    /** A record's identity: from its values, or its DeveloperName (`name`). */
    keyOf: (values: Record<string, unknown>, name: string) => string,
    wanted: { values: Record<string, unknown>; name: string; label: string }[],
    describeKey: (key: string) => string
  ): void => {
    const byKey = new Map<string, MetadataRow[]>();
    for (const row of existing) {
      const key = keyOf(row, row.DeveloperName);
      byKey.set(key, [...(byKey.get(key) ?? []), row]);
    }
    const listed = new Set<string>();
    for (const want of wanted) {
      const key = keyOf(want.values, want.name);
      listed.add(key);
      const [current, ...extra] = byKey.get(key) ?? [];
      for (const row of extra)
        warnings.push(
          `${section}: ${type}.${row.DeveloperName} also defines ${describeKey(key)}; the seed updates ${type}.${current?.DeveloperName ?? ''} only, delete the other in Setup`
        );
      const fieldChanges = Object.entries(want.values)
        .filter(([field, value]) => !current || !same(current[field], value))
        .map(([field, value]) => ({
          field,
          from: current?.[field] ?? null,
          to: value
        }));
      if (current && fieldChanges.length === 0) continue;
      const developerName = current?.DeveloperName ?? want.name;
      changes.push(
        current
          ? {
              kind: 'changed',
              section,
              key: `${type}.${developerName}`,
              fields: fieldChanges
            }
          : {
              kind: 'added',
              section,
              key: `${type}.${developerName}`,
              fields: want.values
            }
      );
      components.push({
        fullName: `${type}.${developerName}`,
        label: current?.MasterLabel ?? want.label,
        values: Object.entries(want.values).map(([field, value]) => ({
          field,
          value: value as string | number | null
        }))
      });
      sections.push(section);
    }
    for (const [key, rows] of byKey)
      if (!listed.has(key))
        for (const row of rows)
          warnings.push(
            `${section}: the org's ${type}.${row.DeveloperName} (${describeKey(key)}) is not in the plan; the seed never deletes custom metadata, delete it in Setup if it should go`
          );
  };
  plan1(
    'severityMatrix',
    RULE_TYPE,
    rules,
    (v) => `${String(v.Urgency__c)}:${String(v.Impact__c)}`,
    severityRuleValues(plan).map((values) => ({
      values,
      name: `Urgency${values.Urgency__c}_Impact${values.Impact__c}`,
      label: `Urgency ${LEVEL_LABELS[values.Urgency__c - 1] ?? values.Urgency__c}, Impact ${LEVEL_LABELS[values.Impact__c - 1] ?? values.Impact__c}`
    })),
    (key) => `urgency ${key.replace(':', ' / impact ')}`
  );
  plan1(
    'slaPolicy',
    POLICY_TYPE,
    policies,
    (v) => String(v.Severity__c),
    slaPolicyValues(plan).map((values) => ({
      // An upsert replaces the whole record: a severity the plan gives no cadence keeps the
      // org's, so seeding a plan without a communications section never clears it.
      values: {
        ...values,
        Update_Minutes__c: cadence.has(values.Severity__c)
          ? (cadence.get(values.Severity__c) ?? null)
          : (policies.find((row) => same(row.Severity__c, values.Severity__c))
              ?.Update_Minutes__c ?? null)
      },
      name: `Severity_${values.Severity__c}`,
      label: `Severity ${values.Severity__c}`
    })),
    (key) => `severity ${key}`
  );
  plan1(
    'communications',
    TEMPLATE_TYPE,
    // Only the stages the plan lists are compared: the org's other templates stay as they are.
    templates.filter((row) =>
      commTemplateValues(plan).some((t) => t.Stage__c === row.Stage__c)
    ),
    (v) => String(v.Stage__c),
    commTemplateValues(plan).map((values) => ({
      values,
      name: values.Stage__c.replace(/ /g, '_'),
      label: values.Stage__c
    })),
    (key) => `stage ${key}`
  );
  plan1(
    'responsePlan',
    RESPONSE_STEP_TYPE,
    steps,
    // Steps are named: the name is in their actions' keys (names ignore case, as DeveloperName).
    (_values, name) => name.toLowerCase(),
    responseStepValues(plan.responsePlan ?? []),
    (key) => `step ${key}`
  );
  return { changes, components, sections };
}

// ---------------------------------------------------------------------------------------------
// Users (--create-users)
// ---------------------------------------------------------------------------------------------

/** A user the seed would create, with the fields the platform requires of a new user. */
export interface NewUser {
  Username: string;
  Email: string;
  FirstName: string | null;
  LastName: string;
  Alias: string;
  CommunityNickname: string;
  TimeZoneSidKey: string;
  LocaleSidKey: string;
  LanguageLocaleKey: string;
  EmailEncodingKey: string;
  /** Which member asked for it (for messages). */
  member: number;
}

const LOOKS_LIKE_USERNAME = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The plan's users that do not exist, one per distinct reference, in roster order. */
function usersToCreate(
  plan: Plan,
  users: { find(ref: string): unknown }
): NewUser[] {
  const seen = new Set<string>();
  const aliases = new Set<string>();
  const out: NewUser[] = [];
  plan.roster.forEach((member, index) => {
    if (member.user === undefined || users.find(member.user) !== undefined)
      return;
    const ref = member.user.toLowerCase();
    if (seen.has(ref)) return;
    seen.add(ref);
    const parts = member.name.trim().split(/\s+/);
    const lastName =
      parts.length > 1 ? (parts.pop() ?? member.name) : member.name;
    const firstName =
      parts.length > 0 && parts.join(' ') !== lastName ? parts.join(' ') : null;
    out.push({
      Username: member.user,
      Email: member.email ?? member.user,
      FirstName: firstName,
      LastName: lastName,
      Alias: uniqueAlias(firstName, lastName, aliases),
      CommunityNickname: member.user.split('@')[0]?.slice(0, 40) ?? member.key,
      TimeZoneSidKey: shiftZone(member) ?? 'America/Los_Angeles',
      LocaleSidKey: 'en_US',
      LanguageLocaleKey: 'en_US',
      EmailEncodingKey: 'UTF-8',
      member: index
    });
  });
  return out;
}

/** Alias is 8 characters at most and, to be recognisable, unique among the users created. */
function uniqueAlias(
  first: string | null,
  last: string,
  taken: Set<string>
): string {
  const letters = (s: string): string =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z]/g, '')
      .toLowerCase();
  const base =
    (letters(first ?? '').slice(0, 1) + letters(last)).slice(0, 8) || 'user';
  let alias = base;
  for (let n = 2; taken.has(alias); n++)
    alias = `${base.slice(0, 8 - String(n).length)}${n}`;
  taken.add(alias);
  return alias;
}

function shiftZone(member: PlanMember): string | undefined {
  const shift = member.shift;
  if (typeof shift === 'object' && shift !== null && 'timeZone' in shift) {
    const zone = shift.timeZone;
    return typeof zone === 'string' ? zone : undefined;
  }
  return undefined;
}

function creatableProblems(users: NewUser[]): PlanProblem[] {
  return users
    .filter((u) => !LOOKS_LIKE_USERNAME.test(u.Username))
    .map((u) => ({
      path: `roster[${u.member}].user`,
      message: `no user ${u.Username} to use, and --create-users needs a username in email form (name@domain) to create one`
    }));
}

async function createUsers(
  client: OrgClient,
  users: NewUser[]
): Promise<{ users: OrgUser[]; written: number; failures: SeedFailure[] }> {
  const [profile] = await client.queryAll<{ Id: string }>(
    "SELECT Id FROM Profile WHERE Name = 'Standard User' LIMIT 1"
  );
  if (!profile)
    throw new Error(
      "The org has no 'Standard User' profile to give the new users"
    );
  const records = users.map(({ member: _member, ...fields }) => ({
    ...fields,
    ProfileId: profile.Id
  }));
  // Creating a user is not idempotent: after a failed call, look for the usernames first.
  const outcomes = await client.createRecords(
    'User',
    records,
    async (batch) => {
      const names = batch.map((r) => String(r.Username));
      const found = await client.queryAll<{ Id: string; Username: string }>(
        `SELECT Id, Username FROM User WHERE Username IN ${soqlList(names)}`
      );
      return names.map(
        (name) =>
          found.find((f) => f.Username.toLowerCase() === name.toLowerCase())?.Id
      );
    }
  );
  const created: OrgUser[] = [];
  const failures: SeedFailure[] = [];
  users.forEach((user, index) => {
    // createRecords answers one outcome per record, in order.
    const outcome = outcomes[index] ?? { success: false, errors: [] };
    if (outcome.success && outcome.id)
      created.push({
        Id: outcome.id,
        Username: user.Username,
        Email: user.Email,
        IsActive: true
      });
    else
      failures.push({
        section: 'users',
        key: user.Username,
        errors: outcome.errors
      });
  });
  return { users: created, written: created.length, failures };
}

// ---------------------------------------------------------------------------------------------
// Key accounts
// ---------------------------------------------------------------------------------------------

interface AccountWork {
  changes: SeedChange[];
  create: Record<string, unknown>[];
  update: (Record<string, unknown> & { Id: string })[];
}

function keyAccountWork(plan: Plan, accounts: OrgAccount[]): AccountWork {
  const work: AccountWork = { changes: [], create: [], update: [] };
  for (const wanted of plan.keyAccounts ?? []) {
    const current = accounts.find(
      (a) => a.Name.toLowerCase() === wanted.name.toLowerCase()
    );
    const values: Record<string, unknown> = {
      Key_Account__c: true,
      ...(wanted.region === undefined ? {} : { Region__c: wanted.region })
    };
    if (!current) {
      const fields = { Name: wanted.name, ...values };
      work.create.push(fields);
      work.changes.push({
        kind: 'added',
        section: 'keyAccounts',
        key: wanted.name,
        fields
      });
      continue;
    }
    const fieldChanges = Object.entries(values)
      .filter(
        ([field, value]) => !same(current[field as keyof OrgAccount], value)
      )
      .map(([field, value]) => ({
        field,
        from: current[field as keyof OrgAccount] ?? null,
        to: value
      }));
    if (fieldChanges.length === 0) continue;
    work.update.push({ Id: current.Id, ...values });
    work.changes.push({
      kind: 'changed',
      section: 'keyAccounts',
      key: wanted.name,
      fields: fieldChanges
    });
  }
  return work;
}

async function writeKeyAccounts(
  client: OrgClient,
  work: AccountWork
): Promise<{
  created: OrgAccount[];
  written: number;
  failures: SeedFailure[];
}> {
  const failures: SeedFailure[] = [];
  const created: OrgAccount[] = [];
  let written = 0;
  if (work.create.length > 0) {
    const outcomes = await client.createRecords(
      'Account',
      work.create,
      async (batch) => {
        const names = batch.map((r) => String(r.Name));
        const found = await client.queryAll<{ Id: string; Name: string }>(
          `SELECT Id, Name FROM Account WHERE Name IN ${soqlList(names)}`
        );
        return names.map((name) => found.find((f) => f.Name === name)?.Id);
      }
    );
    outcomes.forEach((outcome, index) => {
      const fields = work.create[index] ?? {};
      const name = String(fields.Name);
      if (outcome.success && outcome.id) {
        written++;
        created.push({
          Id: outcome.id,
          Name: name,
          Source_Account_Key__c: null,
          Key_Account__c: true,
          Region__c:
            typeof fields.Region__c === 'string' ? fields.Region__c : null
        });
      } else
        failures.push({
          section: 'keyAccounts',
          key: name,
          errors: outcome.errors
        });
    });
  }
  if (work.update.length > 0) {
    const outcomes = await client.updateRecords('Account', work.update);
    tally(
      outcomes,
      work.update.map((u) => u.Id),
      'keyAccounts',
      { ...emptyCounts() },
      failures
    );
    written += outcomes.filter((o) => o.success).length;
  }
  return { created, written, failures };
}

// ---------------------------------------------------------------------------------------------
// The roster
// ---------------------------------------------------------------------------------------------

/** A shift compared by meaning: the same JSON with keys in any order is the same shift. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null)
    return `{${Object.keys(value)
      .sort()
      .map(
        (k) =>
          `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`
      )
      .join(',')}}`;
  return JSON.stringify(value);
}

function sameShift(current: string | null, wanted: string | null): boolean {
  if (current === null || current.trim() === '' || wanted === null)
    return (current ?? '').trim() === '' && wanted === null;
  try {
    return (
      canonicalJson(JSON.parse(current)) === canonicalJson(JSON.parse(wanted))
    );
  } catch {
    return false;
  }
}

/** Placeholder shown in a dry run for a user or account the run would create. */
const TO_BE_CREATED = (what: string): string => `(new: ${what})`;

function rosterChanges(
  plan: Plan,
  roster: RosterRow[],
  context: {
    userFor: (member: PlanMember, index: number) => OrgUser | undefined;
    accountFor: (index: number) => OrgAccount | undefined;
    prune: boolean;
    dryRun: boolean;
  }
): {
  changes: SeedChange[];
  upserts: { member: PlanMember; record: Record<string, unknown> }[];
  deactivations: RosterRow[];
} {
  const byKey = new Map<string, RosterRow>();
  for (const row of roster)
    if (row.External_Id__c) byKey.set(row.External_Id__c.toLowerCase(), row);
  const changes: SeedChange[] = [];
  const upserts: { member: PlanMember; record: Record<string, unknown> }[] = [];
  plan.roster.forEach((member, index) => {
    const user = context.userFor(member, index);
    const account = context.accountFor(index);
    const wanted: Record<RosterField, unknown> = {
      Name: member.name,
      Role__c: member.role,
      User__c:
        user?.Id ??
        (member.user !== undefined && context.dryRun
          ? TO_BE_CREATED(member.user)
          : null),
      Email__c:
        member.email ??
        user?.Email ??
        (member.user?.includes('@') ? member.user : null),
      Phone__c: member.phone ?? null,
      Expertise__c: expertiseText(member.expertise) || null,
      Account__c:
        account?.Id ??
        (typeof member.account === 'string' && context.dryRun
          ? TO_BE_CREATED(member.account)
          : null),
      Active__c: member.active,
      Shift__c:
        member.shift === undefined || member.shift === null
          ? null
          : JSON.stringify(member.shift)
    };
    const current = byKey.get(member.key.toLowerCase());
    const fieldChanges = ROSTER_FIELDS.filter((field) =>
      !current
        ? true
        : field === 'Shift__c'
          ? !sameShift(current.Shift__c, wanted.Shift__c as string | null)
          : !same(current[field], wanted[field])
    ).map((field) => ({
      field,
      from: current?.[field] ?? null,
      to: wanted[field]
    }));
    if (current && fieldChanges.length === 0) return;
    changes.push(
      current
        ? {
            kind: 'changed',
            section: 'roster',
            key: member.key,
            fields: fieldChanges
          }
        : {
            kind: 'added',
            section: 'roster',
            key: member.key,
            fields: { ...wanted }
          }
    );
    upserts.push({ member, record: { External_Id__c: member.key, ...wanted } });
  });
  const listed = new Set(plan.roster.map((m) => m.key.toLowerCase()));
  const deactivations = context.prune
    ? roster.filter(
        (row) =>
          row.Active__c && !listed.has((row.External_Id__c ?? '').toLowerCase())
      )
    : [];
  for (const row of deactivations)
    changes.push({
      kind: 'deactivated',
      section: 'roster',
      key: row.External_Id__c ?? row.Id,
      name: row.Name
    });
  return { changes, upserts, deactivations };
}
