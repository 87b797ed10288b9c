import { Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';
import { tildify } from '../../home.js';

export default class TestnetInit extends BaseCommand<typeof TestnetInit> {
  static override summary = 'Generate a multi-validator testnet: one node home per validator sharing one genesis.';
  static override description = `Reads a testnet config (the seed's shape: network, genesis validators with stake, parameters, bootstrap nodes, regions with node counts; see testnet/config.yml) and writes <output-dir>/<validator>/ homes with fresh keys, the shared genesis (staking genesis validators and the consensus set derived from them), config.yaml with local ports (node i: RPC base+10i, p2p TCP base+10i+1, WebSocket base+10i+2) and p2p bootstrap addresses, each validator's operator key in the home's test keyring as "operator", and <output-dir>/testnet.json listing every node.

Start a node with: guts start --home <output-dir>/<validator>`;

  static override examples = [
    '<%= config.bin %> <%= command.id %> --config testnet/config.yml --output-dir ./testnet-local',
    '<%= config.bin %> <%= command.id %> --validators 4 --chain-id guts-local-4 --output-dir /tmp/t4 -o json',
  ];

  static override flags = {
    config: Flags.string({ summary: 'Testnet config file (YAML).', exclusive: ['validators'] }),
    validators: Flags.integer({ summary: 'Without --config: this many validators spread over the four regions.', min: 1, max: 200 }),
    'chain-id': Flags.string({ summary: 'Without --config: the chain id (default guts-testnet-local).' }),
    'base-port': Flags.integer({ summary: 'Without --config: first port of node 0 (default 27000).', min: 1024, max: 65000 }),
    'output-dir': Flags.string({ summary: 'Folder to create the node homes in (must be empty or absent).', required: true }),
    'genesis-time': Flags.string({ summary: 'Genesis time, RFC 3339 (default: now).' }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { parseTestnetConfig } = await import('../../../testnet/config.js');
    const { generateTestnet } = await import('../../../testnet/generate.js');
    let yaml: string;
    let source: string;
    if (flags.config) {
      source = flags.config;
      try {
        yaml = await readFile(flags.config, 'utf8');
      } catch (e) {
        throw new CliError(`cannot read ${flags.config}: ${(e as Error).message}`);
      }
    } else {
      if (flags.validators === undefined) throw new CliError('give --config FILE or --validators N');
      source = '--validators';
      const chainId = flags['chain-id'] ?? 'guts-testnet-local';
      yaml = JSON.stringify({
        network: { name: chainId, chain_id: chainId },
        local: { base_port: flags['base-port'] ?? 27000 },
        genesis: { validators: Array.from({ length: flags.validators }, (_, i) => ({ name: `validator-${i + 1}` })) },
      });
    }
    const config = parseTestnetConfig(yaml, source);
    const output = resolve(flags['output-dir'] as string);
    const manifest = await generateTestnet({ config, out: output, genesisTime: flags['genesis-time'] });
    this.print(manifest, (m: typeof manifest) =>
      [
        `Testnet ${m.chainId}: ${m.nodes.length} validators in ${tildify(output)}`,
        ...m.nodes.map((n) => `  ${n.name.padEnd(20)} ${n.region.padEnd(13)} rpc ${n.rpc.padEnd(22)} p2p ${n.multiaddr}`),
        '',
        `Start each node with: guts start --home ${tildify(output)}/<name>`,
      ].join('\n'),
    );
  }
}
