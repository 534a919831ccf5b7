import { describe, expect, it } from 'vitest';
import { fieldEn, fieldZh } from './field-messages';

describe('field strings', () => {
  it('has every key in both languages, none empty, with the same placeholders', () => {
    expect(Object.keys(fieldEn).sort()).toEqual(Object.keys(fieldZh).sort());
    for (const [k, zh] of Object.entries(fieldZh)) {
      const en = fieldEn[k as keyof typeof fieldZh];
      expect(en.trim(), k).not.toBe('');
      const vars = (s: string) => [...new Set([...s.replace(/\{\w+, plural,(\s*\w+ \{[^{}]*\})+\s*\}/g, '').matchAll(/\{(\w+)\}/g)].map((m) => m[1]))].sort();
      expect(vars(en), k).toEqual(vars(zh));
    }
  });
});
