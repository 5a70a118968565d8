import { FullPack } from '@drugtrace/chaincode/domain';
import { AppConfig } from '../config/app-config';
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

  // Decoding the symbols back is in test/scan-and-labels.spec.ts, with the application's decoder.
  it('renders a DataMatrix for a lot that looks like an element string, which bwip-js refused before', async () => {
    expect(renderer.svg(pack('L(21)Z'), 'datamatrix')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    const png = await renderer.png(pack('L(21)Z'), 'datamatrix');
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  });
});
