import { toDigitalLink, toElementString } from './format';

const pack = { gtin: '09506000134352', lot: 'A1/B2', expiry: '2027-12-31', serial: 'X%Y 1' };

describe(toDigitalLink.name, () => {
  it('puts primary key and qualifiers in the path in standard order, expiry in the query, data percent-encoded', () => {
    expect(toDigitalLink(pack, 'https://id.example.com/')).toBe(
      'https://id.example.com/01/09506000134352/10/A1%2FB2/21/X%25Y%201?17=271231',
    );
  });

  it('uses the DrugTrace resolver host by default', () => {
    expect(toDigitalLink({ ...pack, lot: 'L', serial: 'S' })).toBe(
      'https://id.drugtrace.example/01/09506000134352/10/L/21/S?17=271231',
    );
  });
});

describe(toElementString.name, () => {
  it('writes the human-readable form with parentheses', () => {
    expect(toElementString(pack, { parentheses: true })).toBe(
      '(01)09506000134352(17)271231(10)A1/B2(21)X%Y 1',
    );
  });

  it('writes the DataMatrix data with fixed-length AIs first and GS only after the lot', () => {
    expect(toElementString(pack)).toBe('010950600013435217271231' + '10A1/B2\u001d21X%Y 1');
  });
});
