import { Injectable } from '@nestjs/common';
import { common } from '@hyperledger/fabric-protos';
import { LedgerClient } from './ledger-client';

const MAX_REMEMBERED = 100_000;

/**
 * Which block holds a transaction. Chaincode cannot see block numbers, so the gateway asks the peer's
 * query system chaincode (qscc), and remembers what the block listener has already seen.
 */
@Injectable()
export class BlockLocator {
  readonly #known = new Map<string, number>();

  constructor(private readonly ledger: LedgerClient) {}

  remember(txId: string, blockNumber: number): void {
    if (this.#known.size >= MAX_REMEMBERED) this.#known.delete(this.#known.keys().next().value as string);
    this.#known.set(txId, blockNumber);
  }

  async blockNumberOf(txId: string): Promise<number | undefined> {
    const known = this.#known.get(txId);
    if (known !== undefined) return known;
    try {
      const bytes = await this.ledger.network('listener').getContract('qscc').evaluateTransaction('GetBlockByTxID', this.ledger.channel, txId);
      const number = common.Block.deserializeBinary(bytes).getHeader()?.getNumber();
      if (number === undefined) return undefined;
      this.remember(txId, number);
      return number;
    } catch {
      return undefined;
    }
  }
}
