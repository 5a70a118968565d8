import { Injectable } from '@nestjs/common';
import { DomainError } from '@drugtrace/chaincode/domain';
import { Caller } from '../auth/caller';
import { LedgerClient } from '../fabric/ledger-client';
import { ReadModel } from '../replica/read-model';
import { ContainerResponse, PackDto } from './container.dto';

/** Cases and pallets: packing goods into an SSCC and unpacking it. */
@Injectable()
export class ContainersService {
  constructor(
    private readonly ledger: LedgerClient,
    private readonly reads: ReadModel,
  ) {}

  pack(caller: Caller, request: PackDto): Promise<ContainerResponse> {
    request.contents.forEach((item, i) => {
      const unit = item.gtin !== undefined && item.serial !== undefined && item.sscc === undefined;
      const container = item.sscc !== undefined && item.gtin === undefined && item.serial === undefined;
      if (!unit && !container)
        throw new DomainError('INVALID', `contents.${i} must be either {gtin, serial} or {sscc}`);
    });
    return this.ledger.submit<ContainerResponse>(caller, 'containers', 'Pack', JSON.stringify(request));
  }

  get(caller: Caller, sscc: string): Promise<ContainerResponse> {
    return this.reads.evaluate<ContainerResponse>(caller, 'containers', 'Get', sscc);
  }

  unpack(caller: Caller, sscc: string): Promise<ContainerResponse> {
    return this.ledger.submit<ContainerResponse>(caller, 'containers', 'Unpack', sscc);
  }
}
