import { domainToASCII as nodeToASCII } from 'node:url';
import { describe, expect, it } from 'vitest';
import { domainToASCII, domainToUnicode } from './url';

describe('url shim', () => {
  it('converts domains to ASCII as Node does, and refuses invalid hosts', () => {
    for (const d of ['example.com', 'Example.COM', '天地.中国', 'bücher.de']) expect(domainToASCII(d)).toBe(nodeToASCII(d));
    expect(domainToASCII('天地.中国')).toBe('xn--cest9b.xn--fiqs8s');
    expect(domainToASCII('a b')).toBe('');
    expect(domainToUnicode('example.com')).toBe('example.com');
    expect(domainToUnicode('a b')).toBe('');
  });
});
