/**
 * Storm finding, the pure part of `incident detect`: cases arrive one at a time in CreatedDate
 * order; each deployment group (asset, product, account region) keeps only the cases of its
 * current sliding window, so memory follows the window and the storms, never the whole scan.
 */
import {
  IMPACT_CRITERIA,
  URGENCY_CRITERIA
} from '../../force-app/main/default/lwc/severityMatrix/assessmentCriteria.js';
import type { CasesPlan, GroupLevel } from './plan-schema.ts';

/** What detect needs of one case. */
export interface StormCase {
  id: string;
  createdAt: number;
  subject: string;
  accountId: string | null;
  keyAccount: boolean;
  assetId: string | null;
  productId: string | null;
  region: string | null;
}

export interface Storm {
  level: GroupLevel;
  /** The asset id, product id or region name the cases share. */
  key: string;
  cases: StormCase[];
  firstAt: number;
  lastAt: number;
  /** The most cases the sliding window held at once. */
  peak: number;
}

export interface StormOptions {
  levels: readonly GroupLevel[];
  threshold: number;
  windowMs: number;
}

function groupKey(level: GroupLevel, c: StormCase): string | null {
  switch (level) {
    case 'asset':
      return c.assetId;
    case 'product':
      return c.productId;
    case 'region':
      return c.region;
  }
}

interface GroupState {
  level: GroupLevel;
  key: string;
  /** The window's cases, oldest first; `head` skips expired ones without shifting the array. */
  recent: StormCase[];
  head: number;
  open: Storm | null;
}

/** How many additions between sweeps of idle groups, so quiet groups do not pile up in memory. */
const SWEEP_EVERY = 5_000;

export class StormFinder {
  private readonly groups = new Map<string, GroupState>();
  private readonly closed: Storm[] = [];
  private lastAt = Number.NEGATIVE_INFINITY;
  private added = 0;

  constructor(private readonly options: StormOptions) {}

  /** Adds the next case; cases must come in CreatedDate order (the query sorts them). */
  add(c: StormCase): void {
    if (c.createdAt < this.lastAt) {
      throw new RangeError(
        `case ${c.id} arrived out of CreatedDate order; the scan must sort by CreatedDate`
      );
    }
    this.lastAt = c.createdAt;
    for (const level of this.options.levels) {
      const key = groupKey(level, c);
      if (key) this.addToGroup(level, key, c);
    }
    if (++this.added % SWEEP_EVERY === 0) this.sweep();
  }

  /** The storms found, each at most once across levels (see dedupeStorms). */
  finish(): Storm[] {
    for (const group of this.groups.values()) this.close(group);
    this.groups.clear();
    return dedupeStorms(this.closed, this.options.levels);
  }

  /** Groups tracked right now (for the benchmark's memory figures and the tests). */
  get trackedGroups(): number {
    return this.groups.size;
  }

  private addToGroup(level: GroupLevel, key: string, c: StormCase): void {
    const id = `${level}\u0000${key}`;
    let group = this.groups.get(id);
    if (!group) {
      group = { level, key, recent: [], head: 0, open: null };
      this.groups.set(id, group);
    }
    this.expire(group, c.createdAt);
    group.recent.push(c);
    const inWindow = group.recent.length - group.head;
    if (group.open) {
      group.open.cases.push(c);
      group.open.lastAt = c.createdAt;
      group.open.peak = Math.max(group.open.peak, inWindow);
    } else if (inWindow >= this.options.threshold) {
      const cases = group.recent.slice(group.head);
      group.open = {
        level,
        key,
        cases,
        firstAt: cases[0]?.createdAt ?? c.createdAt,
        lastAt: c.createdAt,
        peak: inWindow
      };
    }
  }

  /** Drops cases older than the window; a storm ends when its window falls below the threshold. */
  private expire(group: GroupState, now: number): void {
    const from = now - this.options.windowMs;
    while (group.head < group.recent.length) {
      const oldest = group.recent[group.head];
      if (!oldest || oldest.createdAt > from) break;
      group.head++;
    }
    if (group.head > 1024 && group.head * 2 > group.recent.length) {
      group.recent = group.recent.slice(group.head);
      group.head = 0;
    }
    if (
      group.open &&
      group.recent.length - group.head < this.options.threshold - 1
    ) {
      // Fewer than threshold - 1 left: even the case arriving now cannot keep the storm going.
      this.close(group);
    }
  }

  private close(group: GroupState): void {
    if (group.open) this.closed.push(group.open);
    group.open = null;
  }

  private sweep(): void {
    for (const [id, group] of this.groups) {
      this.expire(group, this.lastAt);
      if (group.head >= group.recent.length && !group.open)
        this.groups.delete(id);
    }
  }
}

/**
 * One outage shows up at several levels: its product, its region, and the busiest of its assets.
 * The widest storm is kept first (most cases; equal ones in the order of the plan's levels), and
 * a storm is dropped when more than half of its cases are already in kept storms (part of the
 * same outage): one incident per outage, not one per asset it hit. The same majority rule
 * decides coverage by an open incident.
 */
export function dedupeStorms(
  storms: readonly Storm[],
  levels: readonly GroupLevel[]
): Storm[] {
  const order = (s: Storm): number => levels.indexOf(s.level);
  const sorted = [...storms].sort(
    (a, b) =>
      b.cases.length - a.cases.length ||
      order(a) - order(b) ||
      a.firstAt - b.firstAt
  );
  const covered = new Set<string>();
  const kept: Storm[] = [];
  for (const storm of sorted) {
    const seen = storm.cases.filter((c) => covered.has(c.id)).length;
    if (seen * 2 > storm.cases.length) continue;
    kept.push(storm);
    for (const c of storm.cases) covered.add(c.id);
  }
  return kept.sort((a, b) => a.firstAt - b.firstAt);
}

export type Level = 'High' | 'Medium' | 'Low';

export interface Reason {
  /** The criterion of the incident plan (assessmentCriteria.js) the evidence meets. */
  criterion: string;
  label: string;
  evidence: string;
}

export interface Proposal {
  urgency: Level;
  impact: Level;
  urgencyReasons: Reason[];
  impactReasons: Reason[];
}

function criterion(
  list: readonly { id: string; label: string }[],
  id: string
): { id: string; label: string } {
  const found = list.find((c) => c.id === id);
  if (!found) throw new Error(`assessment criterion ${id} is not defined`);
  return found;
}

/** Subjects that name a safety word at a word start (so "fire" matches "Fire alarm", not "bonfire"). */
export function safetyHits(
  cases: readonly StormCase[],
  words: readonly string[]
): { word: string; caseId: string }[] {
  const patterns = words.map((word) => ({
    word,
    re: new RegExp(`\\b${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'i')
  }));
  const hits: { word: string; caseId: string }[] = [];
  for (const c of cases) {
    const hit = patterns.find((p) => p.re.test(c.subject));
    if (hit) hits.push({ word: hit.word, caseId: c.id });
  }
  return hits;
}

/**
 * Urgency and impact for a storm, from the incident plan's major-incident criteria: any urgency
 * criterion met makes it High, any impact criterion met makes it High, as in the console's
 * assessment; a storm that meets none is Medium (several customers, nothing worse known).
 */
export function proposeStorm(
  storm: Storm,
  detect: CasesPlan['detect']
): Proposal {
  const urgencyReasons: Reason[] = [];
  const impactReasons: Reason[] = [];
  const accounts = new Set(
    storm.cases.map((c) => c.accountId).filter((id) => id !== null)
  );
  if (accounts.size >= detect.manyCustomers) {
    const c = criterion(IMPACT_CRITERIA, 'many-customers');
    impactReasons.push({
      criterion: c.id,
      label: c.label,
      evidence: `${accounts.size} accounts affected (plan: ${detect.manyCustomers} or more)`
    });
  }
  const safety = safetyHits(storm.cases, detect.safetyWords);
  if (safety.length > 0) {
    const c = criterion(IMPACT_CRITERIA, 'injury');
    const words = [...new Set(safety.map((h) => h.word))].join(', ');
    impactReasons.push({
      criterion: c.id,
      label: c.label,
      evidence: `${safety.length} case subject(s) mention ${words}`
    });
  }
  if (detect.keyAccountsUrgent) {
    const keyAccounts = new Set(
      storm.cases.filter((c) => c.keyAccount).map((c) => c.accountId)
    );
    if (keyAccounts.size > 0) {
      const c = criterion(URGENCY_CRITERIA, 'key-customers');
      urgencyReasons.push({
        criterion: c.id,
        label: c.label,
        evidence: `${keyAccounts.size} key account(s) affected`
      });
    }
  }
  if (storm.peak >= detect.threshold * detect.growthFactor) {
    const c = criterion(URGENCY_CRITERIA, 'damage-grows');
    urgencyReasons.push({
      criterion: c.id,
      label: c.label,
      evidence: `${storm.peak} new cases within one window (plan: ${detect.growthFactor} x threshold ${detect.threshold})`
    });
  }
  return {
    urgency: urgencyReasons.length > 0 ? 'High' : 'Medium',
    impact: impactReasons.length > 0 ? 'High' : 'Medium',
    urgencyReasons,
    impactReasons
  };
}
