import { LEVELS, toSeverityRules, toSlaPolicy } from 'c/consoleData';
import {
  priorityFor,
  severityFor,
  slaTargets,
  validateRules
} from 'c/incidentRules';

const consoleData = require('../../incidentConsole/__tests__/data/getConsole.json');

describe('c/consoleData', () => {
  it('maps controller rule cells to severity rule records the rules module accepts', () => {
    const rules = toSeverityRules(consoleData.rules);

    expect(rules[0]).toEqual({ Urgency__c: 1, Impact__c: 1, Severity__c: 1 });
    expect(validateRules(rules)).toEqual([]);
    expect(severityFor(rules, 'Medium', 'Low')).toBe(4);
  });

  it('accepts picklist labels for urgency and impact', () => {
    expect(
      toSeverityRules([{ urgency: 'Low', impact: 'High', severity: 3 }])
    ).toEqual([{ Urgency__c: 3, Impact__c: 1, Severity__c: 3 }]);
  });

  it('carries a cell priority when the controller sends one, and none when blank', () => {
    const cells = consoleData.rules.map((cell) => ({
      ...cell,
      priority: cell.severity === 4 ? 'Moderate' : null
    }));
    const rules = toSeverityRules(cells);

    expect(rules[5]).toEqual({
      Urgency__c: 2,
      Impact__c: 3,
      Severity__c: 4,
      Priority__c: 'Moderate'
    });
    expect(rules[0]).not.toHaveProperty('Priority__c');
    expect(validateRules(rules)).toEqual([]);
    expect(priorityFor(4, rules)).toBe('Moderate');
    expect(priorityFor(5, rules)).toBe('Low');
  });

  it('keeps an unknown level as received so validation can name it', () => {
    const rules = toSeverityRules([
      { urgency: 'Urgent', impact: 2, severity: 2 }
    ]);
    expect(rules[0].Urgency__c).toBe('Urgent');
    expect(
      validateRules(rules).some(
        (problem) => problem.field === 'Urgency__c' && problem.record === 0
      )
    ).toBe(true);
  });

  it('maps controller policy rows to SLA policy records', () => {
    const policy = toSlaPolicy(consoleData.policy);

    expect(policy[0]).toEqual({
      Severity__c: 1,
      Response_Minutes__c: 30,
      Resolution_Minutes__c: 240,
      Warning_Percent__c: 75
    });
    expect(
      slaTargets(
        policy,
        2,
        '2025-03-04T16:00:00.000Z',
        null
      ).responseDue.toISOString()
    ).toBe('2025-03-04T17:00:00.000Z');
  });

  it('treats missing lists as empty and orders levels High first', () => {
    expect(toSeverityRules(undefined)).toEqual([]);
    expect(toSlaPolicy(null)).toEqual([]);
    expect(LEVELS).toEqual([1, 2, 3]);
  });
});
