import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainError } from '@drugtrace/chaincode/domain';

/** Shipment IDs are the creating transaction's ID: 64 hex characters. */
@Injectable()
export class ShipmentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{64}$/.test(value))
      throw new DomainError('INVALID', 'a shipment id is 64 hexadecimal characters');
    return value;
  }
}
