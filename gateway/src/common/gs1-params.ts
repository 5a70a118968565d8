import { Injectable, PipeTransform } from '@nestjs/common';
import { assertGtin, assertLot, assertSerial, assertSscc } from '@drugtrace/chaincode/domain';

// Path parameters checked with the chaincode's own rules (a 400 naming the rule) before any ledger call.
const pipe = (check: (value: string) => void): new () => PipeTransform<string, string> => {
  @Injectable()
  class Gs1Pipe implements PipeTransform<string, string> {
    transform(value: string): string {
      check(value);
      return value;
    }
  }
  return Gs1Pipe;
};

export const GtinPipe = pipe(assertGtin);
export const LotPipe = pipe(assertLot);
export const SerialPipe = pipe(assertSerial);
export const SsccPipe = pipe(assertSscc);
