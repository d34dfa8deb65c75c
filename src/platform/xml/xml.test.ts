import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withXml, XmlSchema, xmlEscape } from './xml.ts';

const schema = new XmlSchema(`<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t" xmlns="urn:t" elementFormDefault="qualified">
  <xs:element name="Request"><xs:complexType><xs:sequence>
    <xs:element name="Snils"><xs:simpleType><xs:restriction base="xs:string"><xs:pattern value="[0-9]{11}"/></xs:restriction></xs:simpleType></xs:element>
  </xs:sequence></xs:complexType></xs:element>
</xs:schema>`);

test('a message that matches its schema has no problems', () => {
  assert.deepEqual(schema.validate('<Request xmlns="urn:t"><Snils>11223344595</Snils></Request>'), []);
});

test('a message that breaks its schema says where and why', () => {
  const problems = schema.validate('<Request xmlns="urn:t">\n<Snils>12-34</Snils></Request>');
  assert.equal(problems.length, 1);
  assert.equal(problems[0]?.line, 2);
  assert.match(problems[0]?.message ?? '', /Snils/);
});

test('malformed XML is a problem, not an exception', () => {
  const problems = schema.validate('<Request xmlns="urn:t"><Snils>1</Request>');
  assert.ok(problems.length >= 1);
  assert.match(problems[0]?.message ?? '', /mismatch/i);
  assert.ok('problems' in withXml('<a>', () => 1));
});

test('external entities are not expanded (XXE)', () => {
  const xml = '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
  const read = withXml(xml, (doc) => doc.root.content);
  assert.ok(!('value' in read) || !read.value.includes('root:'));
});

test('escaping keeps text text', () => {
  assert.equal(
    xmlEscape(`<a href="x">Tom & 'Jerry'\u0001</a>`),
    '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;',
  );
});
