import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readReportPhoto, unsafePhotoName } from './read-report-photos';
import { sniffImage } from './sniff-image';
import { tmp } from './test-world.test-util';

const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]);
const HEIC = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic'), Buffer.alloc(8)]);

describe('sniffImage', () => {
  it('recognises JPEG, PNG, WebP and HEIC by their bytes, and nothing else', () => {
    expect([JPEG, PNG, WEBP, HEIC].map((b) => sniffImage(b))).toEqual(['image/jpeg', 'image/png', 'image/webp', 'image/heic']);
    expect(sniffImage(Buffer.from('tiandi-host\n'))).toBeNull();
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
    expect(sniffImage(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypisom')]))).toBeNull(); // an MP4
  });
});

describe('readReportPhoto: a photo name is data, never a way out of the folder', () => {
  it('refuses names that climb, are absolute or hide a drive letter, before touching the disk', () => {
    for (const n of ['../../../../etc/hostname', '/etc/hostname', 'a/../../b.jpg', 'C:\\x.jpg', 'a\\..\\b.jpg', '~/x.jpg', 'a//b.jpg', './a.jpg']) {
      expect(unsafePhotoName(n), n).not.toBeNull();
    }
    expect(unsafePhotoName('photos/IMG_0001.jpg')).toBeNull();
    expect(unsafePhotoName('照片 1.jpg')).toBeNull();
  });

  it('reads an image inside the folder, and refuses a symlink leading out, a non-image and a missing file', async () => {
    const dir = tmp();
    const outside = tmp();
    mkdirSync(join(dir, 'photos'));
    writeFileSync(join(dir, 'photos', 'a.jpg'), JPEG);
    writeFileSync(join(dir, 'notes.jpg'), 'not an image');
    writeFileSync(join(outside, 'secret.jpg'), JPEG);
    symlinkSync(join(outside, 'secret.jpg'), join(dir, 'link.jpg'));
    symlinkSync(outside, join(dir, 'out'));
    expect(await readReportPhoto('photos/a.jpg', [dir])).toEqual({ ok: true, bytes: JPEG, mime: 'image/jpeg' });
    expect(await readReportPhoto('link.jpg', [dir])).toMatchObject({ ok: false, message: expect.stringContaining('leads outside') });
    expect(await readReportPhoto('out/secret.jpg', [dir])).toMatchObject({ ok: false, message: expect.stringContaining('leads outside') });
    expect(await readReportPhoto('notes.jpg', [dir])).toMatchObject({ ok: false, message: expect.stringContaining('not a JPEG, PNG, HEIC or WebP') });
    expect(await readReportPhoto('photos', [dir])).toMatchObject({ ok: false, message: expect.stringContaining('not a regular file') });
    expect(await readReportPhoto('nope.jpg', [dir])).toMatchObject({ ok: false, message: expect.stringContaining('not found') });
    expect(await readReportPhoto('../../../../etc/hostname', [dir])).toMatchObject({ ok: false, message: expect.stringContaining("contains '..'") });
  });
});
