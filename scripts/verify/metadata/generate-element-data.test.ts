/**
 * The element data generator's supplement: hand-written pages for Metadata API types the
 * reference set lacks (reference-supplement/), so a regeneration keeps them. The reference is
 * not part of the project, so a small reference made here stands in for it; the committed data
 * file must hold exactly what the supplement generates for its types.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { loadElementData } from './element-data.ts';
import {
  buildElementData,
  generateElementData,
  readSegments,
  SUPPLEMENT_DIR
} from './generate-element-data.ts';

/** Metadata, the base every metadata type extends, as the Metadata API's XSD defines it. */
const METADATA_XSD = `<xsd:complexType name="Metadata">
  <xsd:sequence><xsd:element name="fullName" minOccurs="0" type="xsd:string"/></xsd:sequence>
</xsd:complexType>`;

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A reference folder of pages in the reference's format (a fenced wsdl_segment each). */
function referenceOf(pages: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'element-reference-'));
  dirs.push(dir);
  for (const [file, xsd] of Object.entries(pages))
    writeFileSync(
      join(dir, file),
      JSON.stringify({ wsdl_segment: `\`\`\`xml\n${xsd}\n\`\`\`` })
    );
  return dir;
}

const committed = loadElementData();
const fromSupplement = generateElementData(
  referenceOf({ 'Metadata.json': METADATA_XSD })
);
/** The complex types the supplement's own pages define (without the reference's). */
const supplementTypes = Object.keys(
  buildElementData(readSegments(referenceOf({}), SUPPLEMENT_DIR)).complexTypes
);

void describe('element data supplement', () => {
  void it('adds CustomPermission, which the reference set lacks, as the Metadata API guide describes it', () => {
    assert.ok(fromSupplement.metadataTypes.includes('CustomPermission'));
    assert.deepEqual(
      fromSupplement.complexTypes.CustomPermission?.map((e) => [
        e.name,
        e.type,
        e.required,
        e.repeated
      ]),
      [
        ['fullName', 'string', false, false],
        ['connectedApp', 'string', false, false],
        ['description', 'string', false, false],
        ['isLicensed', 'boolean', true, false],
        ['label', 'string', true, false],
        [
          'requiredPermission',
          'CustomPermissionDependencyRequired',
          false,
          true
        ]
      ]
    );
  });

  void it('gives the committed data file exactly what it generates, so a regeneration keeps it', () => {
    assert.deepEqual(supplementTypes.sort(), [
      'CustomPermission',
      'CustomPermissionDependencyRequired'
    ]);
    // The stand-in base is the committed one: the comparison below is not against a guess.
    assert.deepEqual(
      committed.complexTypes.Metadata,
      fromSupplement.complexTypes.Metadata
    );
    for (const name of supplementTypes)
      assert.deepEqual(
        committed.complexTypes[name],
        fromSupplement.complexTypes[name],
        name
      );
    assert.ok(committed.metadataTypes.includes('CustomPermission'));
  });

  void it('reads a reference page over a supplement page of the same name, and merges the rest', () => {
    const reference = referenceOf({
      'Metadata.json': METADATA_XSD,
      'CustomPermission.json': `<xsd:complexType name="CustomPermission"><xsd:complexContent>
        <xsd:extension base="tns:Metadata"><xsd:sequence>
        <xsd:element name="label" type="xsd:string"/></xsd:sequence>
        </xsd:extension></xsd:complexContent></xsd:complexType>`
    });
    const data = generateElementData(reference);
    assert.deepEqual(
      data.complexTypes.CustomPermission?.map((e) => e.name),
      ['fullName', 'label']
    );
    assert.equal(
      data.complexTypes.CustomPermissionDependencyRequired,
      undefined
    );
    // Without the supplement the type is gone: what a regeneration did before it existed.
    assert.equal(
      generateElementData(
        referenceOf({ 'Metadata.json': METADATA_XSD }),
        referenceOf({})
      ).complexTypes.CustomPermission,
      undefined
    );
  });

  void it('refuses a page without an XSD segment, naming the file', () => {
    const dir = referenceOf({});
    writeFileSync(join(dir, 'Broken.json'), JSON.stringify({ title: 'x' }));
    assert.throws(
      () => readSegments(dir, SUPPLEMENT_DIR),
      (error: Error) =>
        error.message === `${join(dir, 'Broken.json')}: no wsdl_segment`
    );
  });
});
