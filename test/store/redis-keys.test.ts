/** The one hash-tag helper: every key of a conversation in one Cluster slot, no id able to break out of its tag. */
import { describe, expect, it } from 'vitest';
import { assertKeyPrefix, hashTagged } from '../../src/store/redis-keys.js';

describe('hashTagged', () => {
  it('wraps the key in braces after the prefix', () => {
    expect(hashTagged('dvc:', 'tg:12345')).toBe('dvc:{tg:12345}');
    expect(hashTagged('dvc:', 'web:6f1c2b9e-0000-4000-8000-000000000000')).toBe('dvc:{web:6f1c2b9e-0000-4000-8000-000000000000}');
  });

  it('escapes %, { and } so two different ids never share a tag', () => {
    expect(hashTagged('p:', 'a}b')).toBe('p:{a%7Db}');
    expect(hashTagged('p:', 'a{b')).toBe('p:{a%7Bb}');
    expect(hashTagged('p:', 'a%7Db')).toBe('p:{a%257Db}');
    expect(hashTagged('p:', 'a}b')).not.toBe(hashTagged('p:', 'a%7Db'));
  });

  it('refuses a prefix with a brace', () => {
    expect(() => assertKeyPrefix('dvc{')).toThrow(/must not contain/);
    expect(() => assertKeyPrefix('dvc:')).not.toThrow();
  });
});
