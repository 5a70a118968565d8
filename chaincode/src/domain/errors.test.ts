import { CodeParseError, DomainError, errorCodeOf, errorDetailOf } from './errors';

describe(DomainError.name, () => {
  it('puts the stable code in front of the message', () => {
    const e = new DomainError('CONFLICT', 'unit 09506000134352/X7K2 is DISPENSED');
    expect(e.message).toBe('CONFLICT: unit 09506000134352/X7K2 is DISPENSED');
    expect(e).toMatchObject({
      code: 'CONFLICT',
      detail: 'unit 09506000134352/X7K2 is DISPENSED',
      name: 'DomainError',
    });
  });
});

describe(CodeParseError.name, () => {
  it('says which AI, which position and why', () => {
    const e = new CodeParseError(19, 'month 13 is not a month', '17');
    expect(e.message).toBe('INVALID: AI (17) at position 19: month 13 is not a month');
    expect(e).toBeInstanceOf(DomainError);
    expect(new CodeParseError(0, 'the code is empty').message).toBe(
      'INVALID: at position 0: the code is empty',
    );
  });

  it('is read back from its detail, with and without an AI, and from nothing else', () => {
    for (const e of [new CodeParseError(19, 'month 13: not a month', '17'), new CodeParseError(0, 'empty')]) {
      const read = CodeParseError.fromDetail(e.detail);
      expect(read).toBeInstanceOf(CodeParseError);
      expect(read).toMatchObject({ position: e.position, reason: e.reason, ai: e.ai, detail: e.detail });
    }
    expect(CodeParseError.fromDetail('unit 09506000134352/X7K2 is DISPENSED')).toBeUndefined();
  });
});

describe(errorCodeOf.name, () => {
  it('finds the code in a message Fabric wrapped', () => {
    const wrapped =
      'transaction returned with failure: FORBIDDEN: PharmacyMSP is PHARMACY; this needs MANUFACTURER';
    expect(errorCodeOf(wrapped)).toBe('FORBIDDEN');
    expect(errorDetailOf(wrapped)).toBe('FORBIDDEN: PharmacyMSP is PHARMACY; this needs MANUFACTURER');
  });

  it('finds nothing in free text', () => {
    expect(errorCodeOf('chaincode stream terminated')).toBeUndefined();
    expect(errorCodeOf('NOTFOUND: x')).toBeUndefined();
    expect(errorDetailOf('timeout')).toBeUndefined();
  });
});
