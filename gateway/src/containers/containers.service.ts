import { Injectable } from '@nestjs/common';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { Ledger } from '../fabric/ledger';
import { ContainerResponse, PackDto } from './container.dto';

/** Cases and pallets: packing goods into an SSCC and unpacking it. */
@Injectable()
export class ContainersService {
  constructor(private readonly ledger: Ledger) {}

  pack(caller: Caller, request: PackDto): Promise<ContainerResponse> {
    request.contents.forEach((item, i) => {
      const unit = item.gtin !== undefined && item.serial !== undefined && item.sscc === undefined;
      const container = item.sscc !== undefined && item.gtin === undefined && item.serial === undefined;
      if (!unit && !container)
        throw new DomainError('INVALID', `contents.${i} must be either {gtin, serial} or {sscc}`);
    });
    return this.ledger.containers.pack(caller, request);
  }

  get(caller: Caller, sscc: string): Promise<ContainerResponse> {
    return this.ledger.containers.get(caller, sscc);
  }

  unpack(caller: Caller, sscc: string): Promise<ContainerResponse> {
    return this.ledger.containers.unpack(caller, sscc);
  }
}
