import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  checkCustomFieldObjects,
  loadCustomFieldObjects
} from './custom-field-objects.ts';
import { readProject } from './project.ts';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, '__fixtures__', name);

void describe('custom fields only on standard objects known to take them', () => {
  void it('fails a custom field on BroadcastCommunication, names the file, the object and the list; passes Account and a custom object', () => {
    const problems = checkCustomFieldObjects(
      readProject(fixture('custom-field-objects'))
    );
    assert.equal(problems.length, 1, JSON.stringify(problems));
    const problem = problems[0];
    assert.ok(problem);
    assert.equal(problem.check, 'custom-field-objects');
    assert.equal(
      problem.file,
      'force-app/main/default/objects/BroadcastCommunication/fields/Send_Key__c.field-meta.xml'
    );
    assert.match(
      problem.message,
      /Send_Key__c on the standard object BroadcastCommunication, which is not known to take custom fields/
    );
    assert.match(problem.message, /custom-field-objects\.json/);
  });

  void it('passes once the object is listed', () => {
    const data = loadCustomFieldObjects();
    const listed = {
      ...data,
      objects: { ...data.objects, BroadcastCommunication: 'a test source' }
    };
    assert.deepEqual(
      checkCustomFieldObjects(
        readProject(fixture('custom-field-objects')),
        listed
      ),
      []
    );
  });

  void it('lists each known object with a source, and never BroadcastCommunication', () => {
    const data = loadCustomFieldObjects();
    for (const [name, source] of Object.entries(data.objects))
      assert.ok(source.trim().length > 20, `${name} has a source`);
    assert.ok(!('BroadcastCommunication' in data.objects));
    for (const name of ['Account', 'Case', 'Contact', 'Incident'])
      assert.ok(name in data.objects, `${name} is listed`);
  });
});
