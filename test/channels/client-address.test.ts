import { describe, expect, it } from 'vitest';
import { addressGroup } from '../../src/channels/client-address.js';

describe('addressGroup', () => {
  it('keeps an IPv4 address, also when written IPv4-mapped', () => {
    expect(addressGroup('203.0.113.7')).toBe('203.0.113.7');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('groups IPv6 by /64, however the address is written', () => {
    const group = '2001:db8:85a3:8d3::/64';
    for (const ip of ['2001:db8:85a3:8d3::1', '2001:0db8:85a3:08d3:1319:8a2e:0370:7348', '2001:DB8:85A3:8D3:ffff:ffff:ffff:ffff', '[2001:db8:85a3:8d3::2]', '2001:db8:85a3:8d3::7%eth0']) {
      expect(addressGroup(ip), ip).toBe(group);
    }
    expect(addressGroup('2001:db8:85a3:8d4::1')).not.toBe(group);
    expect(addressGroup('::1')).toBe('0:0:0:0::/64');
    expect(addressGroup('2001:db8::')).toBe('2001:db8:0:0::/64');
  });

  it('gives one group to what is not an address', () => {
    expect(addressGroup(undefined)).toBe('unknown');
    expect(addressGroup('not-an-ip')).toBe('unknown');
  });
});
