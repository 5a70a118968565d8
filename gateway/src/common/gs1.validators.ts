import { registerDecorator, ValidationOptions } from 'class-validator';
import {
  firstInvalidCset82,
  isValidGln,
  isValidGtin,
  isValidSscc,
  MAX_LOT_LENGTH,
  MAX_SERIAL_LENGTH,
} from '@drugtrace/chaincode/domain';

type Decorator = (options?: ValidationOptions) => PropertyDecorator;

/** A class-validator decorator from one of the chaincode domain's GS1 rules, so DTOs and ledger agree. */
function gs1Rule(name: string, test: (value: string) => boolean, message: string): Decorator {
  return (options) => (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: `$property ${message}`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
    });
}

const gs1Text = (max: number) => (value: string) =>
  value.length >= 1 && value.length <= max && firstInvalidCset82(value) === -1;

export const IsGtin = gs1Rule('isGtin', isValidGtin, 'must be a GTIN-14: 14 digits with a valid check digit');
export const IsGln = gs1Rule('isGln', isValidGln, 'must be a GLN: 13 digits with a valid check digit');
export const IsSscc = gs1Rule('isSscc', isValidSscc, 'must be an SSCC: 18 digits with a valid check digit');
export const IsLot = gs1Rule(
  'isLot',
  gs1Text(MAX_LOT_LENGTH),
  `must be 1 to ${MAX_LOT_LENGTH} characters of the GS1 character set`,
);
export const IsSerial = gs1Rule(
  'isSerial',
  gs1Text(MAX_SERIAL_LENGTH),
  `must be 1 to ${MAX_SERIAL_LENGTH} characters of the GS1 character set`,
);
