/**
 * A plan of any size, for the fault drill and the benchmark: the shipped plan's matrix and SLA
 * policy with `members` generated roster members, each with a user of its own, every role, key
 * accounts for the service level managers, and day shifts in Los Angeles and Tokyo.
 */
import type { Plan, PlanMember } from './plan-schema.ts';
import { ROLES } from './plan-schema.ts';

const ZONES = ['America/Los_Angeles', 'Asia/Tokyo'];
const PRODUCTS = ['Solar Panel', 'Inverter', 'Battery', 'Water Heater'];

export function syntheticMember(index: number, domain: string): PlanMember {
  const id = String(index).padStart(5, '0');
  const role = ROLES[index % ROLES.length] ?? 'Technical Expert';
  const weekdays = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday'];
  return {
    key: `member-${id}`,
    role,
    name: `Member ${id}`,
    user: `member-${id}@${domain}`,
    phone: `+1 415 555 ${String(index % 10000).padStart(4, '0')}`,
    ...(role === 'Technical Expert'
      ? {
          expertise: {
            categories: [],
            subCategories: [],
            products: [PRODUCTS[index % PRODUCTS.length] ?? 'Inverter']
          }
        }
      : {}),
    ...(role === 'Service Level Manager'
      ? { account: `Key Account ${index % 10}` }
      : {}),
    active: true,
    shift: {
      timeZone: ZONES[index % ZONES.length],
      weekly: Object.fromEntries(
        weekdays.map((day) => [day, { start: '08:00', end: '17:00' }])
      )
    }
  };
}

/** `base` (the shipped plan) with its roster replaced by `members` generated members. */
export function syntheticPlan(
  base: Plan,
  members: number,
  domain = 'bench.example'
): Plan {
  const roster = Array.from({ length: members }, (_, i) =>
    syntheticMember(i, domain)
  );
  const accounts = new Set(
    roster.flatMap((m) => (typeof m.account === 'string' ? [m.account] : []))
  );
  return {
    ...structuredClone(base),
    keyAccounts: [...accounts].map((name) => ({ name })),
    roster
  };
}
