// Compiled by `npm run typecheck`, never run. Every `@ts-expect-error` line must be a type error, or the
// build fails: a contract class implements its API (ContractOf), so a transaction whose result or
// arguments drift from the API does not compile.
import { Context } from 'fabric-contract-api';
import { ContractOf, Party, UnitsApi, UnitView } from '../api';

type Units = ContractOf<UnitsApi, Context>;

/** UnitView with `custodian` renamed. */
type RenamedField = Omit<UnitView, 'custodian'> & { holder: Party };

// @ts-expect-error a transaction answering a renamed result field does not implement the API
export const renamedResult: Units['Get'] = async () => ({}) as RenamedField;

// @ts-expect-error a transaction taking an argument more than the API declares
export const extraArgument: Units['Get'] = async (_ctx: Context, _g: string, _s: string, _x: string) =>
  ({}) as UnitView;

// @ts-expect-error a transaction answering its JSON text instead of its typed result
export const untypedResult: Units['Dispense'] = async () => '{}';
