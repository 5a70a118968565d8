import { FullPack, parseCode } from '@drugtrace/chaincode/domain';
import { AppConfig } from '../config/app-config';
import { ImageDecoder } from '../verify/image-decoder';
import { gs1DataMatrixText, LabelRenderer } from './label-renderer';

const pack = (lot: string, serial = 'X7K2M9Q4P1Z8'): FullPack => ({
  gtin: '09506000134352',
  lot,
  expiry: '2028-06-30',
  serial,
});

describe(gs1DataMatrixText.name, () => {
  it('carries parentheses inside values as bwip-js ordinals, so they never end an AI', () => {
    expect(gs1DataMatrixText(pack('L(21)Z', 'S(1)'))).toBe(
      '(01)09506000134352(17)280630(10)L^04021^041Z(21)S^0401^041',
    );
    expect(gs1DataMatrixText(pack('A1B2'))).toBe('(01)09506000134352(17)280630(10)A1B2(21)X7K2M9Q4P1Z8');
  });
});

describe(LabelRenderer.name, () => {
  const renderer = new LabelRenderer({ publicBaseUrl: 'https://scan.example' } as AppConfig);
  const decoder = new ImageDecoder();

  // Lots and serials that look like AIs, or hold every other awkward character of GS1 character set 82.
  const awkward = [pack('L(21)Z'), pack('(10)', ')('), pack(`A%B&'"*+,-./:;<=>?_`, 'S(21)1')];

  it.each(['datamatrix', 'qr'] as const)(
    'a %s PNG decodes back to the same lot and serial',
    async (symbology) => {
      for (const p of awkward) {
        const scanned = await decoder.decode(await renderer.png(p, symbology));
        expect(parseCode(scanned)).toMatchObject(p);
      }
    },
  );

  it('renders an SVG for such a lot', () => {
    expect(renderer.svg(pack('L(21)Z'), 'datamatrix')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });
});
