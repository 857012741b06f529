import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkApiVersions } from './api-versions.ts';
import { checkCustomMetadataValues } from './custom-metadata-values.ts';
import { checkDeployPackage } from './deploy-package.ts';
import { loadElementData } from './element-data.ts';
import { buildElementData } from './generate-element-data.ts';
import { runMetadataChecks } from './index.ts';
import { checkMetadataReferences } from './metadata-references.ts';
import { checkPermissionCoverage } from './permission-coverage.ts';
import type { Problem } from './problems.ts';
import { readProject } from './project.ts';
import { scratchDefinitionProblems } from './scratch-definition.ts';
import { checkXmlStructure, checkXmlText } from './xml-structure.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const fixture = (name: string): string => join(here, '__fixtures__', name);
const project = (name: string) => readProject(fixture(name));
const elementData = loadElementData();

function summary(problems: Problem[]): string[] {
  return problems.map((problem) => `${problem.file}: ${problem.message}`);
}

void describe('the clean fixture', () => {
  void it('passes every check', async () => {
    assert.deepEqual(await runMetadataChecks(fixture('clean')), []);
  });
});

void describe('deploy package', () => {
  void it('fails a class without its -meta.xml, which the converter drops silently', async () => {
    assert.deepEqual(
      summary(await checkDeployPackage(project('class-without-meta'))),
      [
        'force-app/main/default/classes/Orphan.cls: not in the deploy package: a class needs its -meta.xml beside it'
      ]
    );
  });

  void it('fails a file the converter does not recognise inside an object folder', async () => {
    const problems = await checkDeployPackage(project('unrecognised-file'));
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.file ?? '', /Widget__c\/fields\/notes\.txt$/);
  });

  void it('leaves out __tests__ folders', async () => {
    assert.deepEqual(await checkDeployPackage(project('clean')), []);
  });
});

void describe('XML structure', () => {
  void it('fails a misspelled element and suggests the right one', () => {
    assert.deepEqual(
      summary(checkXmlStructure(project('misspelled-element'), elementData)),
      [
        'force-app/main/default/objects/Widget__c/fields/Size__c.field-meta.xml: <lable> is not an element of CustomField at CustomField/lable (did you mean <label>?)'
      ]
    );
  });

  void it('fails malformed XML with its line', () => {
    const problems = checkXmlStructure(project('malformed-xml'), elementData);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /^malformed XML at line 8/);
  });

  void it('fails repeated single elements, bad booleans and values outside an enumeration', () => {
    const messages = checkXmlStructure(
      project('invalid-values'),
      elementData
    ).map((problem) => problem.message);
    assert.equal(messages.length, 3);
    assert.match(messages[0] ?? '', /CustomObject has <label> 2 times/);
    assert.match(
      messages[1] ?? '',
      /<required> must be true or false, found "no"/
    );
    assert.match(
      messages[2] ?? '',
      /<type> value "Txt" is not one of FieldType/
    );
  });

  void it('requires the metadata namespace, required elements and a known root', () => {
    assert.deepEqual(
      checkXmlText(
        '<PermissionSet><description>x</description></PermissionSet>',
        elementData
      ),
      [
        '<PermissionSet> must declare xmlns="http://soap.sforce.com/2006/04/metadata"',
        'PermissionSet lacks the required element <label> of PermissionSet'
      ]
    );
    assert.match(
      checkXmlText('<Nonsense/>', elementData)[0] ?? '',
      /not a metadata type/
    );
  });
});

void describe('element data generator', () => {
  void it('flattens extensions base-first and keeps enumerations', () => {
    const data = buildElementData([
      `<xsd:complexType name="Metadata"><xsd:sequence>
         <xsd:element name="fullName" minOccurs="0" type="xsd:string"/></xsd:sequence></xsd:complexType>
       <xsd:complexType name="Thing"><xsd:complexContent><xsd:extension base="tns:Metadata">
         <xsd:sequence><xsd:element name="kind" type="tns:Kind"/>
         <xsd:element name="tags" minOccurs="0" maxOccurs="unbounded" type="xsd:string"/>
         </xsd:sequence></xsd:extension></xsd:complexContent></xsd:complexType>
       <xsd:simpleType name="Kind"><xsd:restriction base="xsd:string">
         <xsd:enumeration value="A"/><xsd:enumeration value="B"/></xsd:restriction></xsd:simpleType>`
    ]);
    assert.deepEqual(data.metadataTypes, ['Thing']);
    assert.deepEqual(data.complexTypes.Thing, [
      { name: 'fullName', type: 'string', required: false, repeated: false },
      { name: 'kind', type: 'Kind', required: true, repeated: false },
      { name: 'tags', type: 'string', required: false, repeated: true }
    ]);
    assert.deepEqual(data.simpleTypes.Kind, ['A', 'B']);
  });
});

void describe('custom metadata values', () => {
  void it('fails values that do not fit their field types', () => {
    const byFile = new Map<string, string[]>();
    for (const problem of checkCustomMetadataValues(
      project('bad-cmdt-values')
    )) {
      const name = problem.file.split('/').pop() ?? '';
      byFile.set(name, [...(byFile.get(name) ?? []), problem.message]);
    }
    assert.deepEqual(Object.fromEntries(byFile), {
      'Gadget.Missing_Required.md-meta.xml': [
        'required field Weight__c has no value'
      ],
      'Gadget.Not_Boolean.md-meta.xml': [
        'Enabled__c (Checkbox) must be true or false, found "yes"',
        'Kind__c (Picklist) value "Medium" is not one of Small, Large'
      ],
      'Gadget.Too_Big.md-meta.xml': [
        'Weight__c (Number) value 123.45 does not fit Number(3,1)'
      ],
      'Gadget.Unknown_Field.md-meta.xml': [
        'Gadget__mdt has no field Wieght__c'
      ],
      'Gadget.Wrong_Type.md-meta.xml': [
        'Weight__c (Number) needs xsi:type="xsd:double" or "xsd:int", found "xsd:string"'
      ]
    });
  });
});

void describe('api versions', () => {
  void it('fails an apiVersion that differs from sourceApiVersion', () => {
    assert.deepEqual(
      summary(checkApiVersions(project('api-version-mismatch'))),
      [
        'force-app/main/default/classes/Hello.cls-meta.xml: apiVersion 63.0 at line 3 differs from sourceApiVersion 64.0'
      ]
    );
  });
});

void describe('permission coverage', () => {
  void it('fails missing, refused and stale field permissions', () => {
    assert.deepEqual(
      checkPermissionCoverage(project('bad-field-permissions')).map(
        (problem) => problem.message
      ),
      [
        'Widget__c.Code__c is required; the org refuses field permissions for it',
        'Widget__c.Double_Size__c is calculated by the platform and cannot be editable',
        'Widget__c.Size__c is editable but not readable',
        'fieldPermissions name Widget__c.Gone__c is neither a field force-app defines nor a standard field of Widget__c',
        'no fieldPermissions for Widget__c.Colour__c'
      ]
    );
  });

  void it('fails edit access to fields that automation owns', () => {
    assert.deepEqual(
      checkPermissionCoverage(project('clean'), {
        automationOwned: ['Widget__c.Colour__c']
      }).map((problem) => problem.message),
      ['Widget__c.Colour__c is set by automation and must not be editable']
    );
  });
});

void describe('metadata references', () => {
  void it('fails names that point at nothing or at the wrong thing', () => {
    const byFile = new Map<string, string[]>();
    for (const problem of checkMetadataReferences(
      project('dangling-references')
    )) {
      const name = problem.file.split('/').pop() ?? '';
      byFile.set(name, [...(byFile.get(name) ?? []), problem.message]);
    }
    const unknownObject = (name: string, hint = ''): string =>
      `${name} is neither an object in force-app nor a standard object in scripts/schema/standard-objects.json${hint}`;
    assert.deepEqual(Object.fromEntries(byFile), {
      'Broken.permissionset-meta.xml': [
        'classAccesses name Missing, which force-app does not define',
        'applicationVisibilities name Missing_App, which force-app does not define',
        `tabSettings: tab standard-Incidnet: ${unknownObject('Incidnet', ' (did you mean Incident?)')}`,
        'customMetadataTypeAccesses name Nope__mdt, which is not a custom metadata type in force-app'
      ],
      'Console.app-meta.xml': [
        'tab Missing_Tab__c is not defined in force-app',
        'workspaceConfig fieldName: Case.ParentIdd is neither a field force-app defines nor a standard field of Case (did you mean Case.ParentId?)',
        'workspaceConfig maps tab standard-Incident, which the app does not list in <tabs>',
        'actionOverrides for Problem use Incident_Page, which is not a record page of Problem',
        'actionOverrides name flexipage Gone_Page, which force-app does not define'
      ],
      'Incident_Page.flexipage-meta.xml': [
        'component hidden is not exposed to lightning__RecordPage',
        'component problemOnly does not support Incident record pages (its targetConfig lists Problem)',
        'component nowhere is not an LWC bundle in force-app',
        'record page of Incident is not its org default, so it shows only inside apps that assign it: add a View actionOverride (type Flexipage, content Incident_Page, formFactor Large) to objects/Incident/Incident.object-meta.xml'
      ],
      'Problem.object-meta.xml': [
        'actionOverrides for Problem use Incident_Page, which is not a record page of Problem'
      ],
      'Ghost__c.tab-meta.xml': [
        `custom object tab: ${unknownObject('Ghost__c')}`
      ]
    });
  });

  void it('passes the clean fixture', () => {
    assert.deepEqual(checkMetadataReferences(project('clean')), []);
  });
});

void describe('scratch definition', () => {
  const problems = (definition: unknown): string[] =>
    scratchDefinitionProblems(JSON.stringify(definition), elementData);
  const incidentManagement = { enableIncidentMgmt: true };

  void it('accepts known settings with values of their types', () => {
    assert.deepEqual(
      problems({
        edition: 'Enterprise',
        features: ['ServiceCloud'],
        settings: {
          incidentMgmtSettings: incidentManagement,
          entitlementSettings: { enableEntitlements: true },
          // Settings types outside the reference data cannot be checked offline.
          lightningExperienceSettings: { enableS1DesktopEnabled: true }
        }
      }),
      []
    );
  });

  void it('fails misspelled settings, wrong value types and a bad edition', () => {
    assert.deepEqual(
      problems({
        edition: 'Enterprize',
        features: 'ServiceCloud',
        settings: {
          incidentMgmtSettings: {
            ...incidentManagement,
            enableIncidentMgmnt: true,
            enableEmailToIncident: 'yes'
          }
        }
      }),
      [
        'edition must be one of Developer, Enterprise, Group, Professional, Partner Developer, Partner Enterprise, Partner Group, Partner Professional, found "Enterprize"',
        'features must be a list of feature names',
        'settings.incidentMgmtSettings.enableIncidentMgmnt is not a field of IncidentMgmtSettings (did you mean enableIncidentMgmt?)',
        'settings.incidentMgmtSettings.enableEmailToIncident must be a boolean, found "yes"'
      ]
    );
  });

  void it('requires Customer Service Incident Management', () => {
    assert.deepEqual(problems({ edition: 'Developer', settings: {} }), [
      'settings.incidentMgmtSettings.enableIncidentMgmt must be true: Incident, Problem and ChangeRequest exist only with Customer Service Incident Management on'
    ]);
  });

  void it('fails text that is not JSON', () => {
    assert.match(
      scratchDefinitionProblems('{ "edition": ', elementData)[0] ?? '',
      /^not valid JSON/
    );
  });
});

void describe('metadata CLI', () => {
  const cli = join(here, 'index.ts');
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--import', 'tsx', cli, ...args], {
      encoding: 'utf8'
    });

  void it('exits 0 on a clean project', () => {
    const result = run('--root', fixture('clean'));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /10 checks passed/);
  });

  void it('exits 1 and prints each problem with its file', () => {
    const result = run('--root', fixture('misspelled-element'));
    assert.equal(result.status, 1);
    assert.match(
      result.stdout,
      /Size__c\.field-meta\.xml: <lable> is not an element/
    );
  });

  void it('exits 2 on bad usage or a missing project', () => {
    assert.equal(run('--nope').status, 2);
    assert.equal(run('--root', fixture('does-not-exist')).status, 2);
  });
});
