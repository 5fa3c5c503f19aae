import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentJsonSchemas, procedureJsonSchema } from '../../src/catalog/content-json-schema.js';

const root = join(import.meta.dirname, '..', '..');
const committed = (file: string) => JSON.parse(readFileSync(join(root, 'schemas', file), 'utf8')) as unknown;

describe('content JSON Schemas for the editor', () => {
  it('are current (run `npx tsx scripts/export-content-schema.ts` after changing catalog/schema.ts)', () => {
    for (const [file, schema] of Object.entries(contentJsonSchemas())) expect(committed(file), file).toEqual(schema);
  });

  it('carry the https and date patterns and refuse unknown fields', () => {
    const schema = procedureJsonSchema() as { properties: Record<string, { pattern?: string }>; additionalProperties: boolean; required: string[] };
    expect(schema.properties.source?.pattern).toBe('^https:\\/\\/');
    expect(schema.properties.reviewed_on?.pattern).toBe('^\\d{4}-\\d{2}-\\d{2}$');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'name', 'aliases', 'keywords', 'source', 'reviewed_on']));
  });

  it('is what content files point to', () => {
    expect(readFileSync(join(root, 'content', 'unit.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.\.\/schemas\/unit\.schema\.json/);
    for (const table of ['replaced-documents', 'distinct-procedures']) {
      expect(readFileSync(join(root, 'content', `${table}.yaml`), 'utf8')).toMatch(new RegExp(`^# yaml-language-server: \\$schema=\\.\\./schemas/${table}\\.schema\\.json`));
    }
    expect(readFileSync(join(root, 'content', 'procedures', 'khai-sinh.yaml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/procedure\.schema\.json/,
    );
  });
});
