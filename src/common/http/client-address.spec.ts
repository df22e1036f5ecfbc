import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateLimitKey } from './client-address';

describe('rateLimitKey', () => {
  it('counts an IPv4 client by its address, also when written IPv4-mapped', () => {
    assert.equal(rateLimitKey('192.0.2.1'), '192.0.2.1');
    assert.equal(rateLimitKey('::ffff:192.0.2.1'), '192.0.2.1');
  });

  it('counts every address of one IPv6 /64 as one client, however it is written', () => {
    const key = rateLimitKey('2001:db8:1:2::1');
    assert.equal(key, '2001:db8:1:2::/64');
    for (const same of [
      '2001:db8:1:2:ffff:ffff:ffff:ffff',
      '2001:0DB8:0001:0002:0:0:0:2',
      '2001:db8:1:2:a:b:0.0.0.1',
      '2001:db8:1:2::1%eth0',
    ]) {
      assert.equal(rateLimitKey(same), key, same);
    }
    assert.notEqual(rateLimitKey('2001:db8:1:3::1'), key, 'the next /64 is another client');
    assert.equal(rateLimitKey('::1'), '0:0:0:0::/64');
  });
});
