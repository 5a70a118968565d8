// The chaincode: fabric-chaincode-node loads `contracts` and `serializers` from the package's main module.
import { AuditContract } from './contracts/audit.contract';
import { BatchesContract } from './contracts/batches.contract';
import { ContainersContract } from './contracts/containers.contract';
import { ProductsContract } from './contracts/products.contract';
import { RegistryContract } from './contracts/registry.contract';
import { ShipmentsContract } from './contracts/shipments.contract';
import { UnitsContract } from './contracts/units.contract';
import { VerificationContract } from './contracts/verification.contract';
import { ResultSerializer } from './ledger/serialize';
// The metadata's types: contracts name them in @Returns, and their imports of them are type-only.
import './ledger/models';

export const contracts: (new () => object)[] = [
  RegistryContract,
  ProductsContract,
  BatchesContract,
  UnitsContract,
  ContainersContract,
  ShipmentsContract,
  VerificationContract,
  AuditContract,
];

/** Results are written as deterministic JSON (see ResultSerializer). */
export const serializers = {
  transaction: 'deterministic',
  serializers: { deterministic: ResultSerializer },
};
