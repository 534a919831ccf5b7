import { describe, expect, it } from 'vitest';
import { DEFAULT_SCRYPT_PARAMS, hashPassword, needsRehash, parsePasswordHash, verifyPassword } from './password-hash';

const FAST = { N: 1 << 10, r: 8, p: 1, keyLen: 32 };

describe('hashPassword / verifyPassword', () => {
  it('records scrypt parameters and salt in the hash and never the password', async () => {
    const stored = await hashPassword('麦田守望者-2026', FAST);
    expect(stored.startsWith('scrypt$1024$8$1$')).toBe(true);
    expect(stored).not.toContain('麦田守望者');
    const parsed = parsePasswordHash(stored)!;
    expect(parsed.params).toEqual(FAST);
    expect(parsed.salt.length).toBe(16);
    expect(parsed.key.length).toBe(32);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', FAST);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterY', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts: the same password hashes differently twice', async () => {
    const a = await hashPassword('same-password', FAST);
    const b = await hashPassword('same-password', FAST);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-password', b)).toBe(true);
  });

  it('treats NFC and NFD spellings of the same password alike', async () => {
    const stored = await hashPassword('caf\u00e9-password', FAST);
    expect(await verifyPassword('cafe\u0301-password', stored)).toBe(true);
  });

  it('refuses malformed hashes without throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$1000$8$1$AAAA$BBBB', 'bcrypt$x$y$z$a$b', 'scrypt$1024$8$1$$']) {
      expect(await verifyPassword('x', bad)).toBe(false);
    }
  });

  it('uses 32 MiB scrypt by default and flags weaker hashes for rehash', async () => {
    expect(DEFAULT_SCRYPT_PARAMS.N * DEFAULT_SCRYPT_PARAMS.r * 128).toBe(32 * 1024 * 1024);
    const weak = await hashPassword('some password', FAST);
    expect(needsRehash(weak)).toBe(true);
    const strong = await hashPassword('some password');
    expect(needsRehash(strong)).toBe(false);
    expect(await verifyPassword('some password', strong)).toBe(true);
  });
});
