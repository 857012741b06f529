/**
 * The org records a plan refers to by name: users (username or email), accounts (name or
 * Source_Account_Key__c) and business hours (name). Each kind is read in one query, never one per
 * member, and what is missing or ambiguous becomes a plan problem at the member's JSON path.
 */
import { soqlList, soqlString, type OrgClient } from '../org-client/index.ts';
import type { PlanProblem } from './plan.ts';
import type { AccountRef, Plan } from './plan-schema.ts';

export interface OrgUser {
  Id: string;
  Username: string;
  Email: string | null;
  IsActive: boolean;
  Name?: string | null;
}

export interface OrgAccount {
  Id: string;
  Name: string;
  Source_Account_Key__c: string | null;
  Key_Account__c: boolean | null;
  Region__c: string | null;
}

/**
 * Longest IN list text put into one query. The REST query is a GET, and a request line past
 * ~16 KB is refused (by Salesforce's front end and by Node's HTTP parser alike), so past this
 * budget a lookup reads the whole table instead: still one query, paged.
 */
const IN_LIST_BUDGET = 8000;

const lower = (value: string): string => value.toLowerCase();

/** Users the plan names, by lower-cased username and by lower-cased email. */
export class UserDirectory {
  private readonly byUsername = new Map<string, OrgUser>();
  private readonly byEmail = new Map<string, OrgUser[]>();

  constructor(users: OrgUser[]) {
    for (const user of users) this.add(user);
  }

  add(user: OrgUser): void {
    this.byUsername.set(lower(user.Username), user);
    if (user.Email) {
      const list = this.byEmail.get(lower(user.Email)) ?? [];
      list.push(user);
      this.byEmail.set(lower(user.Email), list);
    }
  }

  /** A username wins over an email; an email must name one user (the active ones first). */
  find(ref: string): OrgUser | OrgUser[] | undefined {
    const byName = this.byUsername.get(lower(ref));
    if (byName) return byName;
    const byEmail = this.byEmail.get(lower(ref)) ?? [];
    const active = byEmail.filter((u) => u.IsActive);
    const pool = active.length > 0 ? active : byEmail;
    if (pool.length === 0) return undefined;
    return pool.length === 1 ? pool[0] : pool;
  }

  byId(id: string): OrgUser | undefined {
    for (const user of this.byUsername.values())
      if (user.Id === id) return user;
    return undefined;
  }
}

/** The plan's user references, distinct, as written. */
export function userRefs(plan: Plan): string[] {
  return [
    ...new Set(
      plan.roster.flatMap((m) => (m.user === undefined ? [] : [m.user]))
    )
  ];
}

/**
 * One query for every user the plan names (by username or email). A long list is narrowed by
 * the references' domains instead (a roster's users share a few), and only past that budget
 * too is the whole User table read; the directory matches exactly either way.
 */
export async function readUsers(
  client: OrgClient,
  refs: string[]
): Promise<UserDirectory> {
  if (refs.length === 0) return new UserDirectory([]);
  const select = 'SELECT Id, Username, Email, IsActive, Name FROM User';
  return new UserDirectory(
    await client.queryAll<OrgUser>(`${select}${userFilter(refs)}`)
  );
}

/** The WHERE clause readUsers uses for `refs`, or '' to read every user. */
export function userFilter(refs: string[]): string {
  const list = soqlList(refs);
  const exact = ` WHERE Username IN ${list} OR Email IN ${list}`;
  if (exact.length <= IN_LIST_BUDGET) return exact;
  const domains = new Set(
    refs.map((ref) => /@([^@]+)$/.exec(ref)?.[1]?.toLowerCase())
  );
  // LIKE wildcards in a domain would need escapes; host names have none, so read everything.
  if ([...domains].some((d) => d === undefined || /[%_\\]/.test(d))) return '';
  const likes = [...domains].flatMap((domain) => {
    const pattern = soqlString(`%@${String(domain)}`);
    return [`Username LIKE ${pattern}`, `Email LIKE ${pattern}`];
  });
  const byDomain = ` WHERE ${likes.join(' OR ')}`;
  return byDomain.length <= IN_LIST_BUDGET ? byDomain : '';
}

export function accountName(ref: AccountRef): string | undefined {
  return typeof ref === 'string' ? ref : undefined;
}

export function accountKey(ref: AccountRef): string | undefined {
  return typeof ref === 'string' ? undefined : ref.externalKey;
}

/** One query for every account the plan names, by Name or Source_Account_Key__c. */
export async function readAccounts(
  client: OrgClient,
  plan: Plan
): Promise<OrgAccount[]> {
  const refs = plan.roster.flatMap((m) => (m.account ? [m.account] : []));
  const names = new Set([
    ...(plan.keyAccounts ?? []).map((a) => a.name),
    ...refs.flatMap((r) => accountName(r) ?? [])
  ]);
  const keys = new Set(refs.flatMap((r) => accountKey(r) ?? []));
  if (names.size === 0 && keys.size === 0) return [];
  const select =
    'SELECT Id, Name, Source_Account_Key__c, Key_Account__c, Region__c FROM Account';
  const where = [
    ...(names.size > 0 ? [`Name IN ${soqlList(names)}`] : []),
    ...(keys.size > 0 ? [`Source_Account_Key__c IN ${soqlList(keys)}`] : [])
  ].join(' OR ');
  return client.queryAll<OrgAccount>(
    where.length <= IN_LIST_BUDGET ? `${select} WHERE ${where}` : select
  );
}

export interface BusinessHoursRecord {
  Id: string;
  Name: string;
  IsActive: boolean;
  IsDefault: boolean;
}

/** The business hours names the SLA policy uses. */
export function businessHoursNames(plan: Plan): string[] {
  return [
    ...new Set(
      plan.slaPolicy.targets
        .map((t) => t.businessHours ?? plan.slaPolicy.businessHours)
        .filter((name): name is string => typeof name === 'string')
    )
  ];
}

export async function readBusinessHours(
  client: OrgClient,
  names: string[]
): Promise<BusinessHoursRecord[]> {
  if (names.length === 0) return [];
  return client.queryAll<BusinessHoursRecord>(
    `SELECT Id, Name, IsActive, IsDefault FROM BusinessHours WHERE Name IN ${soqlList(names)}`
  );
}

/** Problems with the business hours names: each must name one active record. */
export function businessHoursProblems(
  plan: Plan,
  found: BusinessHoursRecord[]
): PlanProblem[] {
  const problems: PlanProblem[] = [];
  const check = (name: string, path: string): void => {
    const matches = found.filter((b) => lower(b.Name) === lower(name));
    if (!matches.some((b) => b.IsActive))
      problems.push({
        path,
        message:
          matches.length === 0
            ? `no business hours named ${JSON.stringify(name)} in the org`
            : `the business hours ${JSON.stringify(name)} are inactive`
      });
  };
  if (typeof plan.slaPolicy.businessHours === 'string')
    check(plan.slaPolicy.businessHours, 'slaPolicy.businessHours');
  plan.slaPolicy.targets.forEach((target, index) => {
    if (target.businessHours !== undefined)
      check(target.businessHours, `slaPolicy.targets[${index}].businessHours`);
  });
  return problems;
}

/**
 * The user of each member (undefined when the member has none or it is missing), and the
 * problems: a missing user, an email shared by several users, an inactive user on an active
 * member. Members in `toCreate` (--create-users) are not problems.
 */
export function resolveUsers(
  plan: Plan,
  users: UserDirectory,
  toCreate: ReadonlySet<string>
): { userOf: (OrgUser | undefined)[]; problems: PlanProblem[] } {
  const problems: PlanProblem[] = [];
  const userOf = plan.roster.map((member, index) => {
    if (member.user === undefined) return undefined;
    const path = `roster[${index}].user`;
    const found = users.find(member.user);
    if (found === undefined) {
      if (!toCreate.has(lower(member.user)))
        problems.push({
          path,
          message: `no active user with username or email ${member.user}`
        });
      return undefined;
    }
    if (Array.isArray(found)) {
      problems.push({
        path,
        message: `${found.length} users have the email ${member.user} (${found.map((u) => u.Username).join(', ')}); name one by username`
      });
      return undefined;
    }
    if (!found.IsActive && member.active)
      problems.push({
        path,
        message: `no active user with username or email ${member.user} (${found.Username} is inactive)`
      });
    return found;
  });
  return { userOf, problems };
}

/**
 * The account of each member (an existing record, the name of a key account still to be
 * created, or undefined), and the problems: missing, or a name shared by several accounts.
 */
export function resolveAccounts(
  plan: Plan,
  accounts: OrgAccount[]
): {
  accountOf: (OrgAccount | { create: string } | undefined)[];
  problems: PlanProblem[];
} {
  const problems: PlanProblem[] = [];
  const keyAccountNames = new Set(
    (plan.keyAccounts ?? []).map((a) => lower(a.name))
  );
  (plan.keyAccounts ?? []).forEach((keyAccount, index) => {
    const named = accounts.filter(
      (a) => lower(a.Name) === lower(keyAccount.name)
    );
    if (named.length > 1)
      problems.push({
        path: `keyAccounts[${index}].name`,
        message: `${named.length} accounts are named ${JSON.stringify(keyAccount.name)}; rename one in the org`
      });
  });
  const accountOf = plan.roster.map((member, index) => {
    const ref = member.account;
    if (ref === undefined) return undefined;
    const path = `roster[${index}].account`;
    const key = accountKey(ref);
    if (key !== undefined) {
      const found = accounts.find((a) => a.Source_Account_Key__c === key);
      if (!found)
        problems.push({
          path,
          message: `no account with Source_Account_Key__c ${JSON.stringify(key)}`
        });
      return found;
    }
    const name = accountName(ref) ?? '';
    const named = accounts.filter((a) => lower(a.Name) === lower(name));
    if (named.length === 1) return named[0];
    if (named.length > 1) {
      problems.push({
        path,
        message: `${named.length} accounts are named ${JSON.stringify(name)}; name it by { "externalKey": ... }`
      });
      return undefined;
    }
    if (keyAccountNames.has(lower(name))) return { create: name };
    problems.push({
      path,
      message: `no account named ${JSON.stringify(name)} (list it under keyAccounts to have it created)`
    });
    return undefined;
  });
  return { accountOf, problems };
}
