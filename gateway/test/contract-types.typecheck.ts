// Compiled by `npm run typecheck`, never run. Every `@ts-expect-error` line must be a type error, or the
// build fails: together they show that the gateway's ledger calls and response DTOs follow the chaincode's
// contract API, so a renamed transaction, argument or result field breaks the build instead of a request.
import { Party, UnitView } from '@drugtrace/chaincode/api';
import { Caller } from '../src/auth/caller';
import { Ledger } from '../src/fabric/ledger';
import { BatchResponse } from '../src/batches/batch.dto';
import { UnitResponse } from '../src/units/unit.dto';

declare const ledger: Ledger;
declare const caller: Caller;

/** UnitView with `custodian` renamed, as a chaincode change would make it. */
type RenamedField = Omit<UnitView, 'custodian'> & { holder: Party };

export async function contractTypes(): Promise<string[]> {
  const unit = await ledger.units.dispense(caller, '09506000134352', 'S1');
  // @ts-expect-error a result field the API does not declare
  void unit.holder;
  // @ts-expect-error a DTO no longer matches a result whose field was renamed
  const response: UnitResponse = {} as RenamedField;
  // @ts-expect-error an argument missing
  void ledger.units.dispense(caller, '09506000134352');
  // @ts-expect-error an argument too many
  void ledger.units.dispense(caller, '09506000134352', 'S1', 'extra');
  // @ts-expect-error a transaction the contract does not declare
  void ledger.units.dispence(caller, '09506000134352', 'S1');
  // @ts-expect-error an argument of another type
  void ledger.shipments.list(caller, 'sideways', '');
  // @ts-expect-error a request body without a field the API requires (manufacturedOn)
  void ledger.batches.commission(caller, { gtin: '09506000134352', lot: 'L1', expiry: '2028-06-30' });
  // @ts-expect-error one transaction's result is not another's
  const batch: BatchResponse = await ledger.units.get(caller, '09506000134352', 'S1');
  return [unit.custodian.msp, response.gtin, batch.lot];
}
