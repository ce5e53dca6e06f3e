import { describe, expect, it } from 'vitest';
import { detectImageFormat, toKiroImage } from '../../electron/core/translate/imageBlocks.ts';
import { RequestError } from '../../electron/core/translate/requestError.ts';
import { thrownBy } from './thrownBy.ts';

const base64 = (bytes: number[], padding = 16) =>
  Buffer.from([...bytes, ...new Array(padding).fill(0)]).toString('base64');
const PNG = base64([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPEG = base64([0xff, 0xd8, 0xff, 0xe0]);
const GIF87 = Buffer.from('GIF87a......').toString('base64');
const GIF89 = Buffer.from('GIF89a......').toString('base64');
const WEBP = Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8L').toString('base64');
const BMP = Buffer.from('BM..........').toString('base64');
const RIFF_WAVE = Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ').toString('base64');

const errorOf = (action: () => unknown): RequestError => thrownBy(action, RequestError);

describe('detectImageFormat', () => {
  it.each([
    [PNG, 'png'],
    [JPEG, 'jpeg'],
    [GIF87, 'gif'],
    [GIF89, 'gif'],
    [WEBP, 'webp'],
  ])('reads the magic number of %s as %s', (data, format) => {
    expect(detectImageFormat(data)).toBe(format);
  });

  it.each([BMP, RIFF_WAVE, '', 'AAAA'])(
    'returns undefined for bytes that are none of the four (%s)',
    (data) => {
      expect(detectImageFormat(data)).toBeUndefined();
    },
  );
});

describe('toKiroImage', () => {
  it('uses the format of the bytes, correcting a wrong declared media type', () => {
    expect(toKiroImage({ type: 'base64', media_type: 'image/png', data: JPEG })).toEqual({
      format: 'jpeg',
      source: { bytes: JPEG },
    });
  });

  it('accepts data URLs as url sources and inside base64 data, without the prefix in the bytes', () => {
    expect(toKiroImage({ type: 'url', url: `data:image/gif;base64,${GIF89}` })).toEqual({
      format: 'gif',
      source: { bytes: GIF89 },
    });
    expect(
      toKiroImage({ type: 'base64', media_type: 'image/webp', data: `data:image/webp;base64,${WEBP}` }),
    ).toEqual({
      format: 'webp',
      source: { bytes: WEBP },
    });
  });

  it('normalises line-wrapped and URL-safe base64 to the standard alphabet', () => {
    const wrapped = `${PNG.slice(0, 10)}\n${PNG.slice(10)}`;
    expect(toKiroImage({ type: 'base64', media_type: 'image/png', data: wrapped }).source.bytes).toBe(PNG);
    const standard = Buffer.from([0xff, 0xd8, 0xff, 0xfb, 0xef, 0xbe]).toString('base64');
    const urlSafe = standard.replace(/\+/g, '-').replace(/\//g, '_');
    expect(urlSafe).not.toBe(standard);
    expect(toKiroImage({ type: 'base64', media_type: 'image/jpeg', data: urlSafe })).toEqual({
      format: 'jpeg',
      source: { bytes: standard },
    });
  });

  it('rejects bytes that are not PNG, JPEG, GIF or WebP, naming the declared type', () => {
    const error = errorOf(() => toKiroImage({ type: 'base64', media_type: 'image/bmp', data: BMP }));
    expect(error.status).toBe(400);
    expect(error.message).toContain('not PNG, JPEG, GIF or WebP');
    expect(error.message).toContain('image/bmp');
  });

  it('rejects http(s) URLs, saying to send base64 instead', () => {
    const error = errorOf(() => toKiroImage({ type: 'url', url: 'https://example.com/cat.png' }));
    expect(error.message).toContain('image URLs are not supported by Kiro');
    expect(error.message).toContain('https://example.com/cat.png');
    expect(error.message).toContain('base64');
  });

  it('rejects data URLs that are not base64 and unknown source types', () => {
    expect(errorOf(() => toKiroImage({ type: 'url', url: 'data:image/svg+xml,<svg/>' })).message).toContain(
      'base64-encoded',
    );
    expect(errorOf(() => toKiroImage({ type: 'file', file_id: 'file_1' })).message).toContain('"file"');
  });
});
