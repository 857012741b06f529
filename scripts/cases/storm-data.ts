/**
 * A case-storm data set for tests, demos and the benchmark: background cases spread over a
 * period across every region, and an outage in one region (one product failing at many
 * customers) packed into a short span. Seeded and deterministic: one seed, one data set.
 */
import type { OrgClient } from '../org-client/index.ts';
import { chunks, queryEvery, soqlList } from './org.ts';
import { seededRandom } from '../shared/seeded-random.ts';

export interface StormDataOptions {
  seed: number;
  /** Background cases. */
  noiseCases: number;
  /** Cases of the outage. */
  stormCases: number;
  /** The newest case's time; the data set ends here. */
  end: number;
  /** Background cases fall evenly at random in [end - spanMs, end]. */
  spanMs: number;
  /** The outage's cases fall in [end - stormSpanMs, end]. */
  stormSpanMs: number;
  regions?: readonly string[];
  stormRegion?: string;
  accountsPerRegion?: number;
  products?: number;
  /** Share of accounts that are key accounts. */
  keyAccountShare?: number;
  /** Share of outage cases whose subject names a safety hazard. */
  safetyShare?: number;
  /** Prefix of names and subjects, so two data sets in one org stay apart. */
  tag?: string;
}

export interface StormData {
  accounts: {
    ref: string;
    name: string;
    region: string;
    keyAccount: boolean;
  }[];
  products: { ref: string; name: string }[];
  assets: {
    ref: string;
    name: string;
    serial: string;
    accountRef: string;
    productRef: string;
  }[];
  cases: {
    ref: string;
    subject: string;
    accountRef: string;
    assetRef: string;
    createdAt: number;
  }[];
  storm: { region: string; productRef: string; caseRefs: string[] };
}

const NOISE_SUBJECTS = [
  'Invoice question',
  'Change of address',
  'App login fails',
  'Panel cleaning visit',
  'Meter reading looks high',
  'Contract renewal'
];
const OUTAGE_SUBJECTS = [
  'No power from the system',
  'Inverter shows error E42',
  'Installation offline since this morning',
  'Battery not charging'
];
const SAFETY_SUBJECTS = [
  'Smoke from the inverter',
  'Burning smell near the battery'
];

export function generateStormData(options: StormDataOptions): StormData {
  const rnd = seededRandom(options.seed);
  const pick = <T>(list: readonly T[]): T =>
    list[Math.floor(rnd() * list.length)] as T;
  const tag = options.tag ?? 'Storm';
  const regions = options.regions ?? [
    'North',
    'South',
    'East',
    'West',
    'Central',
    'Coast',
    'Mountain',
    'Islands'
  ];
  const stormRegion = options.stormRegion ?? regions[0] ?? 'North';
  const perRegion = options.accountsPerRegion ?? 25;
  const products = Array.from({ length: options.products ?? 12 }, (_, i) => ({
    ref: `p${i}`,
    name: `${tag} Inverter ${String.fromCharCode(65 + i)}`
  }));
  const accounts: StormData['accounts'] = [];
  const assets: StormData['assets'] = [];
  for (const region of regions) {
    for (let i = 0; i < perRegion; i++) {
      const ref = `a${accounts.length}`;
      accounts.push({
        ref,
        name: `${tag} ${region} Customer ${i + 1}`,
        region,
        keyAccount: rnd() < (options.keyAccountShare ?? 0.05)
      });
      for (const product of products)
        assets.push({
          ref: `${ref}-${product.ref}`,
          serial: `SN-${tag}-${ref}-${product.ref}`,
          name: `${product.name} at ${region} ${i + 1}`,
          accountRef: ref,
          productRef: product.ref
        });
    }
  }
  const outageProduct = products[0] ?? { ref: 'p0', name: 'Inverter' };
  const cases: StormData['cases'] = [];
  for (let i = 0; i < options.noiseCases; i++) {
    const account = pick(accounts);
    cases.push({
      ref: `n${i}`,
      subject: `${pick(NOISE_SUBJECTS)} [${tag}-n${i}]`,
      accountRef: account.ref,
      assetRef: `${account.ref}-${pick(products).ref}`,
      createdAt: Math.round(options.end - rnd() * options.spanMs)
    });
  }
  const inRegion = accounts.filter((a) => a.region === stormRegion);
  const stormRefs: string[] = [];
  for (let i = 0; i < options.stormCases; i++) {
    const account = pick(inRegion);
    const safety = rnd() < (options.safetyShare ?? 0);
    const ref = `s${i}`;
    stormRefs.push(ref);
    cases.push({
      ref,
      subject: `${pick(safety ? SAFETY_SUBJECTS : OUTAGE_SUBJECTS)} [${tag}-s${i}]`,
      accountRef: account.ref,
      assetRef: `${account.ref}-${outageProduct.ref}`,
      createdAt: Math.round(options.end - rnd() * options.stormSpanMs)
    });
  }
  cases.sort((a, b) => a.createdAt - b.createdAt || a.ref.localeCompare(b.ref));
  return {
    accounts,
    products,
    assets,
    cases,
    storm: {
      region: stormRegion,
      productRef: outageProduct.ref,
      caseRefs: stormRefs
    }
  };
}

/** Record ids in the org of a loaded data set, by ref. */
export interface LoadedStormData {
  ids: Map<string, string>;
}

/**
 * Loads a data set into an org through sObject Collections. Cases keep their generated
 * CreatedDate unless `backdate` is false; backdating needs the org setting "Set Audit Fields upon
 * Record Creation" (the local org's setAuditFields). After a failed call, the records that landed are found by their unique
 * Name or Subject, so a retry does not create them twice.
 */
export async function loadStormData(
  client: OrgClient,
  data: StormData,
  options: { backdate?: boolean } = {}
): Promise<LoadedStormData> {
  const backdate = options.backdate ?? true;
  const ids = new Map<string, string>();
  const load = async (
    type: string,
    field: 'Name' | 'Subject',
    items: readonly { ref: string }[],
    row: (item: never) => Record<string, unknown>
  ): Promise<void> => {
    const records = items.map((item) => row(item as never));
    const outcomes = await client.createRecords(
      type,
      records,
      async (batch) => {
        const values = batch.map((r) => String(r[field]));
        const found = new Map<string, string>();
        for (const part of chunks(values, 200)) {
          for (const r of await queryEvery<Record<string, string>>(
            client,
            `SELECT Id, ${field} FROM ${type} WHERE ${field} IN ${soqlList(part)}`
          ))
            found.set(r[field] ?? '', r.Id ?? '');
        }
        return values.map((v) => found.get(v));
      }
    );
    outcomes.forEach((outcome, index) => {
      const item = items[index];
      if (!outcome.success || !outcome.id || !item)
        throw new Error(
          `loading ${type} ${item?.ref ?? index}: ${outcome.errors[0]?.message ?? 'no id'}`
        );
      ids.set(item.ref, outcome.id);
    });
  };
  const id = (ref: string): string => {
    const found = ids.get(ref);
    if (!found) throw new Error(`no record loaded for ${ref}`);
    return found;
  };
  await load(
    'Account',
    'Name',
    data.accounts,
    (a: StormData['accounts'][number]) => ({
      Name: a.name,
      Region__c: a.region,
      Key_Account__c: a.keyAccount
    })
  );
  await load(
    'Product2',
    'Name',
    data.products,
    (p: StormData['products'][number]) => ({ Name: p.name })
  );
  await load(
    'Asset',
    'Name',
    data.assets,
    (a: StormData['assets'][number]) => ({
      Name: a.name,
      SerialNumber: a.serial,
      AccountId: id(a.accountRef),
      Product2Id: id(a.productRef)
    })
  );
  await load(
    'Case',
    'Subject',
    data.cases,
    (c: StormData['cases'][number]) => ({
      Subject: c.subject,
      Status: 'New',
      Origin: 'Phone',
      AccountId: id(c.accountRef),
      AssetId: id(c.assetRef),
      // Without "Set Audit Fields upon Record Creation" every case is opened now.
      ...(backdate ? { CreatedDate: new Date(c.createdAt).toISOString() } : {})
    })
  );
  return { ids };
}
