import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { editionDependence, loadEditionFields } from './edition-fields.ts';
import { buildEditionFields, reasonFor } from './generate-edition-fields.ts';

void describe('edition-dependent fields', () => {
  void it('derives fields in the describe but not in the documented list, leaving system fields out', () => {
    const data = buildEditionFields(
      new Map([
        [
          'Incident',
          {
            fields: { Subject: {}, Urgency: {} },
            field_reference: {
              Id: {},
              CreatedDate: {},
              Subject: {},
              Urgency: {},
              BusinessHoursId: {},
              SLA__c: {},
              CurrencyIsoCode: {}
            }
          }
        ]
      ])
    );
    assert.deepEqual(Object.keys(data.fields), [
      'Incident.BusinessHoursId',
      'Incident.CurrencyIsoCode',
      'Incident.SLA__c'
    ]);
    assert.match(data.fields['Incident.SLA__c'] ?? '', /not a standard field/);
    assert.match(data.fields['Incident.CurrencyIsoCode'] ?? '', /currencies/);
  });

  void it('records a reason for each kind of field', () => {
    assert.match(reasonFor('Account', 'PersonEmail'), /Person Accounts/);
    assert.match(reasonFor('Incident', 'BusinessHoursId'), /IT service/);
    assert.match(reasonFor('Asset', 'RootAssetId'), /edition, feature/);
  });

  void it('looks names up case-insensitively, as Apex and SOQL do', () => {
    const lookup = editionDependence({
      description: '',
      fields: { 'Incident.BusinessHoursId': 'why' }
    });
    assert.equal(lookup('incident', 'businesshoursid'), 'why');
    assert.equal(lookup('Incident', 'Subject'), undefined);
  });

  void it('ships a data file that lists Incident.BusinessHoursId and not the documented Incident fields', () => {
    const lookup = loadEditionFields();
    assert.notEqual(lookup('Incident', 'BusinessHoursId'), undefined);
    assert.equal(lookup('Incident', 'Urgency'), undefined);
    assert.equal(lookup('Case', 'IsClosed'), undefined);
  });
});
