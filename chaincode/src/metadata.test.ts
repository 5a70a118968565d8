import { contracts, serializers } from './index';

// fabric-chaincode-node builds the contract metadata and compiles its schemas when the chaincode starts.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const ChaincodeFromContract = require('fabric-shim/lib/contract-spi/chaincodefromcontract') as new (
  contracts: unknown[],
  serializers: unknown,
  metadata: object,
  title: string,
  version: string,
) => { metadata: Metadata };

interface Schema {
  $ref?: string;
  type?: string;
  items?: Schema;
  additionalProperties?: Schema;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
}
interface Metadata {
  contracts: Record<string, { transactions: { name: string; returns?: Schema }[] }>;
  components: { schemas: Record<string, Schema> };
}

/** Every type name a schema refers to. */
function refs(schema: Schema | undefined): string[] {
  if (!schema) return [];
  return [
    ...(schema.$ref ? [schema.$ref.replace('#/components/schemas/', '')] : []),
    ...refs(schema.items),
    ...refs(schema.additionalProperties),
    ...Object.values(schema.properties ?? {}).flatMap(refs),
    ...(schema.allOf ?? []).flatMap(refs),
  ];
}

describe('contract metadata', () => {
  const { metadata } = new ChaincodeFromContract([...contracts], serializers, {}, 'drugtrace', '0.1.0');
  const ours = Object.entries(metadata.contracts).filter(([name]) => name !== 'org.hyperledger.fabric');

  it('compiles, and every transaction names the type it returns (none is a bare string)', () => {
    expect(ours).toHaveLength(contracts.length);
    for (const [name, contract] of ours) {
      for (const tx of contract.transactions) {
        expect({ tx: `${name}:${tx.name}`, returns: refs(tx.returns).length }).toEqual({
          tx: `${name}:${tx.name}`,
          returns: 1,
        });
      }
    }
  });

  it('describes every type a result or a type refers to', () => {
    const schemas = metadata.components.schemas;
    const named = [
      ...ours.flatMap(([, c]) => c.transactions.flatMap((tx) => refs(tx.returns))),
      ...Object.values(schemas).flatMap(refs),
    ];
    expect(named.filter((n) => !(n in schemas))).toEqual([]);
  });
});
