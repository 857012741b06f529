/**
 * Record automation through incidentRules: levels as incidentRules reads them, custom
 * metadata problems as record errors (as the Apex services add them), and business hours as
 * calendars that incidentRules can reuse.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { calendarFor } from './business-hours.ts';
import { quote } from './storage.ts';
import {
  createViaCollections,
  startTestOrg,
  type CollectionSaveResult,
  type TestOrg
} from './test-org.ts';

async function createIncident(
  t: TestOrg,
  fields: Record<string, unknown>
): Promise<CollectionSaveResult> {
  const [result] = await createViaCollections(
    t.conn,
    'Incident',
    [fields],
    false
  );
  assert.ok(result);
  return result;
}

async function incident(
  t: TestOrg,
  id: string | null | undefined
): Promise<Record<string, unknown>> {
  return t.conn.sobject('Incident').retrieve(id ?? '');
}

describe('incident automation', () => {
  let t: TestOrg;
  before(async () => {
    t = await startTestOrg({ dbPath: ':memory:' });
  });
  after(async () => {
    await t.dispose();
  });

  it('reads urgency and impact as incidentRules does, and leaves values outside the matrix without severity', async () => {
    const lowerCase = await createIncident(t, {
      Subject: 'lower-case levels',
      Urgency: 'high',
      Impact: 'Medium'
    });
    assert.equal(lowerCase.success, true);
    const computed = await incident(t, lowerCase.id);
    assert.equal(computed.Severity__c, 2);
    assert.equal(computed.Priority, 'High');

    const outside = await createIncident(t, {
      Subject: 'outside the matrix',
      Urgency: 'Urgent',
      Impact: 'High'
    });
    assert.equal(outside.success, true);
    assert.equal((await incident(t, outside.id)).Severity__c, null);
  });

  it('counts SLA due times in the default business hours and its holidays', async () => {
    const [hours] = (
      await t.conn.query<{ Id: string }>(
        'SELECT Id FROM BusinessHours WHERE IsDefault = true'
      )
    ).records;
    assert.ok(hours);
    const weekday = { start: '09:00:00.000Z', end: '17:00:00.000Z' };
    await t.conn.sobject('BusinessHours').update({
      Id: hours.Id,
      ...Object.fromEntries(
        ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday'].flatMap(
          (day) => [
            [`${day}StartTime`, weekday.start],
            [`${day}EndTime`, weekday.end]
          ]
        )
      ),
      SaturdayStartTime: null,
      SaturdayEndTime: null,
      SundayStartTime: null,
      SundayEndTime: null
    });
    const source = { store: t.org.ctx.store, registry: t.org.ctx.registry };
    const calendar = calendarFor(source, null);
    assert.deepEqual(calendar, {
      timeZone: 'UTC',
      weekly: {
        monday: { start: '09:00', end: '17:00' },
        tuesday: { start: '09:00', end: '17:00' },
        wednesday: { start: '09:00', end: '17:00' },
        thursday: { start: '09:00', end: '17:00' },
        friday: { start: '09:00', end: '17:00' },
        saturday: null,
        sunday: null
      },
      holidays: []
    });
    // The same object every time, so incidentRules compiles it once.
    assert.equal(calendarFor(source, hours.Id), calendar);

    // Friday 16:00: severity 1 responds in 30 and resolves in 240 business minutes.
    const friday = await createIncident(t, {
      Subject: 'late on Friday',
      Urgency: 'High',
      Impact: 'High',
      DetectedDateTime: '2026-01-09T16:00:00.000Z'
    });
    const due = await incident(t, friday.id);
    assert.equal(due.Sla_Response_Due__c, '2026-01-09T16:30:00.000+0000');
    assert.equal(due.Sla_Resolution_Due__c, '2026-01-12T12:00:00.000+0000');

    await t.conn
      .sobject('Holiday')
      .create({ Name: 'Closed Monday', ActivityDate: '2026-01-12' });
    const withHoliday = calendarFor(source, null);
    assert.notEqual(withHoliday, calendar);
    assert.deepEqual(withHoliday?.holidays, [{ date: '2026-01-12' }]);
    const afterHoliday = await createIncident(t, {
      Subject: 'late on Friday before a holiday',
      Urgency: 'High',
      Impact: 'High',
      DetectedDateTime: '2026-01-09T16:00:00.000Z'
    });
    assert.equal(
      (await incident(t, afterHoliday.id)).Sla_Resolution_Due__c,
      '2026-01-13T12:00:00.000+0000'
    );
  });

  it('fails the record with the custom metadata to fix when the matrix or the policy is invalid', async () => {
    const db = t.org.db;
    const createCritical = (): Promise<CollectionSaveResult> =>
      createIncident(t, {
        Subject: 'critical',
        Urgency: 'High',
        Impact: 'High'
      });
    db.prepare(
      `UPDATE ${quote('Incident_Sla_Policy__mdt')} SET "Response_Minutes__c" = 9999 WHERE "Severity__c" = 1`
    ).run();
    const badPolicy = await createCritical();
    assert.equal(badPolicy.success, false);
    assert.equal(
      badPolicy.errors[0]?.statusCode,
      'FIELD_CUSTOM_VALIDATION_EXCEPTION'
    );
    assert.match(
      badPolicy.errors[0].message,
      /SLA policy \(custom metadata Incident_Sla_Policy__mdt\) is invalid/
    );

    db.prepare(
      `DELETE FROM ${quote('Incident_Severity_Rule__mdt')} WHERE "Urgency__c" = 3 AND "Impact__c" = 3`
    ).run();
    const badMatrix = await createCritical();
    assert.equal(badMatrix.success, false);
    assert.match(
      badMatrix.errors[0]?.message ?? '',
      /severity matrix \(custom metadata Incident_Severity_Rule__mdt\) is invalid.*urgency 3 \(Low\) × impact 3 \(Low\)/
    );
  });
});
