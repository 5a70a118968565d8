import { DomainError } from '@drugtrace/chaincode/domain';
import { Request } from 'express';
import { Caller } from '../auth/caller';
import { AppConfig } from '../config/app-config';
import { VerifyService } from '../verify/verify.service';
import { isVerificationRequest, VrsService } from './vrs.service';

const GLN = '9506000134352';
const MANUFACTURER_GLN = '9506000134376';
const caller = { org: 'distributor', user: 'user1', mspId: 'DistributorMSP', gln: GLN } as Caller;
const asked = (query: Record<string, string>) =>
  ({ query, caller }) as unknown as Request & { caller: Caller };

describe('DSCSA VRS responder (GS1 lightweight verification messaging)', () => {
  const verify = jest.fn();
  const config = {
    network: { orgs: { manufacturer: { mspId: 'ManufacturerMSP', glns: [MANUFACTURER_GLN] } } },
  } as unknown as AppConfig;
  const sut = new VrsService({ verify } as unknown as VerifyService, config);
  const query = {
    linkType: 'gs1:verificationService',
    context: 'dscsaSaleableReturn',
    reqGLN: GLN,
    corrUUID: '21ec2020-3aea-4069-a2dd-08002b30309d',
  };

  beforeEach(() => {
    verify.mockReset().mockResolvedValue({
      reasons: [],
      code: { gtin: '09506000134352' },
      product: { manufacturer: 'ManufacturerMSP' },
      regimes: { us: { verified: true } },
    });
  });

  it.each([
    'gs1:verificationService',
    'verificationService',
    'https://ref.gs1.org/voc/verificationService',
    'https://gs1.org/voc/verificationService',
    'https://www.gs1.org/voc/verificationService',
  ])(
    'takes linkType=%s (the vocabulary term, its IRIs, the standard’s bare name) as a verification request',
    (linkType) => {
      expect(isVerificationRequest(asked({ linkType }))).toBe(true);
    },
  );

  it('leaves other link types and none to the public resolver', () => {
    expect(isVerificationRequest(asked({ linkType: 'gs1:pip' }))).toBe(false);
    expect(isVerificationRequest(asked({}))).toBe(false);
  });

  it('answers with the standard’s response fields, named as it names them', async () => {
    const answer = await sut.respond(asked(query), 'https://example.org/01/09506000134352/21/X');
    expect(Object.keys(answer).sort()).toEqual(['corrUUID', 'data', 'responderGLN', 'verificationTimestamp']);
    expect(answer).toMatchObject({
      corrUUID: query.corrUUID,
      responderGLN: MANUFACTURER_GLN,
      data: { verified: true },
    });
    expect(verify).toHaveBeenCalledWith(
      { ...caller, gln: GLN },
      'https://example.org/01/09506000134352/21/X',
    );
  });

  it.each(['dscsaSuspect', 'dscsaSaleablereturn', 'saleableReturn'])(
    'refuses context=%s (400 INVALID) before asking the ledger',
    async (context) => {
      const refused = sut.respond(asked({ ...query, context }), 'https://example.org/01/09506000134352/21/X');
      await expect(refused).rejects.toBeInstanceOf(DomainError);
      await expect(refused).rejects.toMatchObject({ code: 'INVALID' });
      expect(verify).not.toHaveBeenCalled();
    },
  );
});
