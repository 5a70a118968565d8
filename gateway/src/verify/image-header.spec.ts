import { PayloadTooLargeException, UnprocessableEntityException } from '@nestjs/common';
import { gifHeader, pngHeader } from '../../test/fixtures/images';
import { checkImageHeader } from './image-header';

const MAX = 16_000_000;

describe(checkImageHeader.name, () => {
  it('reads the declared size of a PNG and a GIF without decoding them', () => {
    expect(checkImageHeader(pngHeader(4000, 4000), MAX)).toEqual({
      format: 'PNG',
      width: 4000,
      height: 4000,
    });
    expect(checkImageHeader(gifHeader(640, 480), MAX)).toEqual({ format: 'GIF', width: 640, height: 480 });
  });

  it('413 for more pixels than the limit, naming both', () => {
    const refuse = () => checkImageHeader(pngHeader(10_000, 10_000), MAX);
    expect(refuse).toThrow(PayloadTooLargeException);
    expect(refuse).toThrow(
      'the PNG image is 10000 × 10000 pixels; at most 16,000,000 pixels (16 megapixels) are decoded',
    );
    expect(() => checkImageHeader(pngHeader(4001, 4000), MAX)).toThrow(PayloadTooLargeException);
  });

  it.each([
    ['bytes that are no image', Buffer.from('not an image')],
    ['an empty upload', Buffer.alloc(0)],
    ['an SVG (no pixels to count before rendering)', Buffer.from('<svg width="10" height="10"></svg>')],
    ['a PDF', Buffer.from('%PDF-1.7\n')],
  ])('422 for %s', (_name, bytes) => {
    expect(() => checkImageHeader(bytes, MAX)).toThrow(UnprocessableEntityException);
    expect(() => checkImageHeader(bytes, MAX)).toThrow('the upload is not a PNG, JPEG, GIF or BMP image');
  });

  it('422 for an image that declares no pixels', () => {
    expect(() => checkImageHeader(pngHeader(0, 100), MAX)).toThrow('the PNG image declares no size');
  });

  it('422 for a truncated header, whatever bytes follow the upload in the buffer it is a view of', () => {
    // An upload's bytes are a view into a larger pooled buffer; here its neighbours would read as 65,535².
    const pool = Buffer.alloc(64, 0xff);
    pool.write('GIF89a', 0);
    const upload = pool.subarray(0, 6);
    expect(() => checkImageHeader(upload, MAX)).toThrow(UnprocessableEntityException);
    expect(() => checkImageHeader(upload, MAX)).toThrow('the upload is not a PNG, JPEG, GIF or BMP image');
  });
});
