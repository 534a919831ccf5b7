import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle';

describe('LoginThrottle', () => {
  it('counts a reservation as a failure until it is decided, so concurrent attempts cannot pass together', () => {
    const t = new LoginThrottle();
    const held = Array.from({ length: 400 }, () => t.reserve('admin', '10.0.0.1'));
    expect(held.filter(Boolean)).toHaveLength(5);
    for (const a of held) a?.fail();
    expect(t.reserve('admin', '10.0.0.1')).toBeNull();
    // Another address may still try the account, up to the account's own limit.
    expect(t.reserve('admin', '10.0.0.2')).not.toBeNull();
  });

  it('limits one account across many addresses, and one address across many names', () => {
    const t = new LoginThrottle({ limits: { accountAddress: 5, account: 20, address: 100 } });
    let passed = 0;
    for (let i = 0; i < 100; i++) {
      const a = t.reserve('Admin', `10.0.${i}.1`);
      if (a) {
        passed++;
        a.fail();
      }
    }
    expect(passed).toBe(20);
    passed = 0;
    for (let i = 0; i < 300; i++) {
      const a = t.reserve(`user${i}`, '192.168.1.9');
      if (a) {
        passed++;
        a.fail();
      }
    }
    expect(passed).toBe(100);
  });

  it('forgets failures after the window, and a success clears the name+address failures', () => {
    let now = 0;
    const t = new LoginThrottle({ windowMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) t.reserve('team1', 'ip')!.fail();
    expect(t.reserve('team1', 'ip')).toBeNull();
    now = 60_001;
    const a = t.reserve('team1', 'ip');
    expect(a).not.toBeNull();
    a!.succeed();
    for (let i = 0; i < 4; i++) t.reserve('team1', 'ip')!.fail();
    expect(t.reserve('team1', 'ip')).not.toBeNull();
  });

  it('decides an attempt once: a second fail() or succeed() changes nothing', () => {
    const t = new LoginThrottle();
    const a = t.reserve('x', 'ip')!;
    a.fail();
    a.fail();
    a.succeed();
    for (let i = 0; i < 4; i++) expect(t.reserve('x', 'ip')).not.toBeNull();
  });

  it('keeps a locked account while 10 000 other names fail, with memory bounded', () => {
    let now = 0;
    const t = new LoginThrottle({ maxKeys: 1000, now: () => now });
    for (let i = 0; i < 5; i++) t.reserve('admin', '203.0.113.7')!.fail();
    expect(t.reserve('admin', '203.0.113.7')).toBeNull();
    for (let i = 0; i < 10_000; i++) {
      now++;
      t.reserve(`name-${i}`, `198.51.${i >> 8}.${i & 255}`)?.fail();
    }
    expect(t.size).toBeLessThanOrEqual(1000);
    expect(t.reserve('admin', '203.0.113.7')).toBeNull();
  });

  it('refuses new keys rather than forget locked ones when memory holds only locked keys', () => {
    const t = new LoginThrottle({ maxKeys: 30, limits: { accountAddress: 1, account: 1, address: 1 } });
    for (let i = 0; i < 10; i++) t.reserve(`n${i}`, `ip${i}`)!.fail();
    expect(t.size).toBe(30);
    expect(t.reserve('newcomer', 'ip-new')).toBeNull();
    for (let i = 0; i < 10; i++) expect(t.reserve(`n${i}`, `ip${i}`)).toBeNull();
  });
});
