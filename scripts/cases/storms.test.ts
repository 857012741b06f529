import assert from 'node:assert/strict';
import { test } from 'node:test';
import { casesPlanSchema, defaultCasesPlan } from './plan-schema.ts';
import {
  dedupeStorms,
  proposeStorm,
  safetyHits,
  StormFinder,
  type Storm,
  type StormCase
} from './storms.ts';

const MIN = 60_000;

function kase(
  id: string,
  minute: number,
  over: Partial<StormCase> = {}
): StormCase {
  return {
    id,
    createdAt: minute * MIN,
    subject: 'No power',
    accountId: `acc-${id}`,
    keyAccount: false,
    assetId: null,
    productId: null,
    region: 'North',
    ...over
  };
}

test('a group becomes a storm when the sliding window holds the threshold', () => {
  const finder = new StormFinder({
    levels: ['region'],
    threshold: 3,
    windowMs: 10 * MIN
  });
  // 0, 20, 40: never 3 within 10 minutes; then 50, 52, 55: a storm from 50.
  for (const [id, minute] of [
    ['a', 0],
    ['b', 20],
    ['c', 40],
    ['d', 50],
    ['e', 52],
    ['f', 55]
  ] as const)
    finder.add(kase(id, minute));
  const storms = finder.finish();
  assert.equal(storms.length, 1);
  assert.deepEqual(
    storms[0]?.cases.map((c) => c.id),
    ['d', 'e', 'f']
  );
  const [storm] = storms;
  assert.ok(storm);
  assert.equal(storm.firstAt, 50 * MIN);
  assert.equal(storm.peak, 3);
});

test('a storm keeps its late cases while the window stays busy, and ends when it empties', () => {
  const finder = new StormFinder({
    levels: ['region'],
    threshold: 3,
    windowMs: 10 * MIN
  });
  const minutes = [0, 1, 2, 5, 8, 11, 60, 61, 62];
  minutes.forEach((m, i) => {
    finder.add(kase(`c${i}`, m));
  });
  const storms = finder.finish();
  // 0..11 is one storm (the window never drops below 2 before the next case), 60..62 another.
  assert.deepEqual(
    storms.map((s) => s.cases.length),
    [6, 3]
  );
});

test('a window boundary is exclusive: a case exactly one window older has left it', () => {
  const finder = new StormFinder({
    levels: ['region'],
    threshold: 2,
    windowMs: 10 * MIN
  });
  finder.add(kase('a', 0));
  finder.add(kase('b', 10));
  assert.equal(finder.finish().length, 0);
});

test('cases out of CreatedDate order are refused', () => {
  const finder = new StormFinder({
    levels: ['region'],
    threshold: 2,
    windowMs: MIN
  });
  finder.add(kase('a', 5));
  assert.throws(() => {
    finder.add(kase('b', 4));
  }, RangeError);
});

test('groups by asset, product and region; cases without a key are in no group', () => {
  const finder = new StormFinder({
    levels: ['asset', 'product', 'region'],
    threshold: 2,
    windowMs: 10 * MIN
  });
  finder.add(kase('a', 0, { assetId: 'A1', productId: 'P1', region: null }));
  finder.add(kase('b', 1, { assetId: 'A2', productId: 'P1', region: null }));
  finder.add(kase('c', 2, { assetId: null, productId: null, region: null }));
  const storms = finder.finish();
  assert.deepEqual(
    storms.map((s) => [s.level, s.key, s.cases.length]),
    [['product', 'P1', 2]]
  );
});

test('one outage seen at several levels is reported once: the widest storm, equal ones by the plan order', () => {
  const cases = ['a', 'b', 'c'].map((id, i) =>
    kase(id, i, { assetId: 'A1', productId: 'P1' })
  );
  const storm = (
    level: Storm['level'],
    key: string,
    list: StormCase[]
  ): Storm => ({
    level,
    key,
    cases: list,
    firstAt: 0,
    lastAt: 2 * MIN,
    peak: list.length
  });
  const all = [
    storm('region', 'North', cases),
    storm('asset', 'A1', cases),
    storm('product', 'P1', cases.slice(0, 2))
  ];
  assert.deepEqual(
    dedupeStorms(all, ['asset', 'product', 'region']).map((s) => s.level),
    ['asset']
  );
  assert.deepEqual(
    dedupeStorms(all, ['region', 'asset', 'product']).map((s) => s.level),
    ['region']
  );
  // A product outage that hit several assets is one storm, not one per asset.
  const wider = storm('region', 'North', [...cases, kase('d', 3)]);
  assert.deepEqual(
    dedupeStorms([storm('asset', 'A1', cases), wider], ['asset', 'region']).map(
      (s) => s.level
    ),
    ['region']
  );
  // ...but a region storm mostly of other cases is another one.
  const other = storm('region', 'North', [
    ...cases.slice(0, 1),
    kase('e', 3),
    kase('f', 4)
  ]);
  assert.deepEqual(
    dedupeStorms([storm('asset', 'A1', cases), other], ['asset', 'region']).map(
      (s) => s.level
    ),
    ['asset', 'region']
  );
});

test('memory follows the window: idle groups are swept while scanning', () => {
  const finder = new StormFinder({
    levels: ['asset'],
    threshold: 5,
    windowMs: MIN
  });
  for (let i = 0; i < 20_000; i++)
    finder.add(kase(`c${i}`, i, { assetId: `A${i}` }));
  assert.ok(finder.trackedGroups < 5_001, `tracked ${finder.trackedGroups}`);
  assert.equal(finder.finish().length, 0);
});

test('proposals explain urgency and impact from the plan criteria', () => {
  const detect = defaultCasesPlan().detect;
  const base: Storm = {
    level: 'region',
    key: 'North',
    firstAt: 0,
    lastAt: MIN,
    peak: 10,
    cases: Array.from({ length: 10 }, (_, i) =>
      kase(`c${i}`, 0, { accountId: i < 2 ? 'acc-1' : 'acc-2' })
    )
  };
  const quiet = proposeStorm(base, detect);
  assert.deepEqual([quiet.urgency, quiet.impact], ['Medium', 'Medium']);
  assert.deepEqual([quiet.urgencyReasons, quiet.impactReasons], [[], []]);

  const loud: Storm = {
    ...base,
    peak: 25,
    cases: base.cases.map((c, i) => ({
      ...c,
      accountId: `acc-${i}`,
      keyAccount: i === 3,
      subject: i === 4 ? 'Smoke coming out of the inverter' : c.subject
    }))
  };
  const p = proposeStorm(loud, detect);
  assert.deepEqual([p.urgency, p.impact], ['High', 'High']);
  assert.deepEqual(
    p.urgencyReasons.map((r) => r.criterion),
    ['key-customers', 'damage-grows']
  );
  assert.deepEqual(
    p.impactReasons.map((r) => r.criterion),
    ['many-customers', 'injury']
  );
  assert.match(p.impactReasons[0]?.evidence ?? '', /^10 accounts affected/);
  assert.match(
    p.impactReasons[1]?.evidence ?? '',
    /1 case subject\(s\) mention smoke/
  );
  assert.equal(p.impactReasons[0]?.label, 'Many customers are affected');

  const off = proposeStorm(loud, {
    ...detect,
    keyAccountsUrgent: false,
    manyCustomers: 50,
    safetyWords: []
  });
  assert.deepEqual(
    off.urgencyReasons.map((r) => r.criterion),
    ['damage-grows']
  );
  assert.deepEqual(off.impactReasons, []);
});

test('safety words match at a word start, case-insensitively', () => {
  const hits = safetyHits(
    [
      kase('a', 0, { subject: 'FIRE in the box' }),
      kase('b', 0, { subject: 'bonfire photos' }),
      kase('c', 0, { subject: 'Injury (burns)' })
    ],
    ['fire', 'injur']
  );
  assert.deepEqual(hits, [
    { word: 'fire', caseId: 'a' },
    { word: 'injur', caseId: 'c' }
  ]);
});

test('the cases plan: defaults, and errors that name the key', () => {
  const plan = defaultCasesPlan();
  assert.equal(plan.relationshipType, 'Root Cause');
  assert.equal(plan.detect.threshold, 10);
  assert.equal(plan.sync.bulkThreshold, 2000);
  const bad = casesPlanSchema.safeParse({
    detect: { groupBy: ['asset', 'asset'], window: '5' },
    extra: 1
  });
  assert.ok(!bad.success);
  const paths = bad.error.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(paths, ['', 'detect.groupBy', 'detect.window']);
});
