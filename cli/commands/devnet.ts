import { Flags } from '@oclif/core';
import { ErrConflict } from '../../app/errors.js';
import { openKeyring } from '../../app/keyring/index.js';
import { parseDurationMs } from '../args.js';
import { BaseCommand } from '../base.js';
import { readClientConfig, writeClientConfig } from '../client-config.js';
import { formatError } from '../errors.js';
import { DEFAULT_DEVNET_HOME, tildify } from '../home.js';
import { loadNodeApi } from '../node-api.js';
import { fatalSignal, nodeRunFlags, rpcUrl, runUntilSignal, toNodeLogFormat } from '../node-run.js';

/** The dev account's key name in the devnet home's test keyring. */
export const DEV_KEY = 'dev';
/** Address of the BIP39 test-vector mnemonic "abandon … about": a valid, well-known sample recipient. */
const SAMPLE_RECIPIENT = 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5';

export default class Devnet extends BaseCommand<typeof Devnet> {
  static override summary = 'Run a one-validator development chain with a funded dev account.';
  static override description = `Creates <home> on first run (default ~/.guts-devnet) with a single validator and a dev account funded in genesis, then runs the node until Ctrl-C. Later runs continue the same chain.

The dev account is imported into the home's test keyring as "${DEV_KEY}", and <home>/config/client.toml is written with keyring-backend = "test", the node address and the chain id, so \`guts … --home <home>\` needs no other flags. The banner shows the dev mnemonic: never use it for real funds.`;

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    { description: 'Fund your own mnemonic, 500ms blocks, JSON logs', command: '<%= config.bin %> <%= command.id %> --mnemonic "$MNEMONIC" --block-time 500ms --log-format json' },
    { description: 'Then, in another terminal', command: '<%= config.bin %> tx bank send dev guts1… 1000ugut --home ~/.guts-devnet -y' },
  ];

  static override flags = {
    ...nodeRunFlags,
    home: Flags.string({ summary: 'Devnet home directory.', default: DEFAULT_DEVNET_HOME, defaultHelp: async () => '~/.guts-devnet', env: 'GUTS_DEVNET_HOME', helpGroup: 'GLOBAL' }),
    mnemonic: Flags.string({ summary: 'Mnemonic of the funded dev account (default: generated on first run).' }),
  };

  async run(): Promise<never> {
    const { flags } = this;
    const blockTimeMs = flags['block-time'] === undefined ? undefined : parseDurationMs(flags['block-time'], '--block-time');
    const api = await loadNodeApi();
    const { fatal, onFatal } = fatalSignal();
    const net = await api.runDevnet({
      home: this.home,
      mnemonic: flags.mnemonic,
      logFormat: toNodeLogFormat(flags['log-format'], 'plain'),
      logLevel: flags['log-level'],
      rpcListen: flags['rpc.laddr'],
      metricsListen: flags['metrics.laddr'],
      blockTimeMs,
      onFatal,
    });
    const node = rpcUrl(net.rpcAddress);
    const keyName = await this.importDevKey(net.devAccount);
    await this.writeClientDefaults(node, net.chainId);
    this.banner({ chainId: net.chainId, node, metrics: net.metricsAddress ? `${rpcUrl(net.metricsAddress)}/metrics` : undefined, ...net.devAccount, keyName });
    return runUntilSignal(net, fatal);
  }

  /** Put the dev key in the test keyring, unless it is there already (under any name). */
  private async importDevKey(dev: { address: string; mnemonic: string }): Promise<string | undefined> {
    const keyring = openKeyring({ home: this.home, backend: 'test' });
    try {
      const existing = await keyring.show(dev.address).catch(() => undefined);
      if (existing) return existing.name;
      await keyring.add(DEV_KEY, { mnemonic: dev.mnemonic });
      return DEV_KEY;
    } catch (err) {
      const why = ErrConflict.is(err) ? `a different key is already named "${DEV_KEY}"` : formatError(err);
      this.note(`note: the dev account was not added to the test keyring (${why})`);
      return undefined;
    }
  }

  private async writeClientDefaults(node: string, chainId: string): Promise<void> {
    const current = await readClientConfig(this.home);
    const next = { ...current, 'keyring-backend': current['keyring-backend'] ?? 'test', node, 'chain-id': chainId };
    await writeClientConfig(this.home, next).catch((err: unknown) => this.note(`note: cannot write client.toml: ${formatError(err)}`));
  }

  private banner(b: { chainId: string; node: string; metrics?: string; address: string; mnemonic: string; keyName?: string }): void {
    const homeFlag = ` --home ${tildify(this.home)}`;
    const from = b.keyName ?? b.address;
    if (this.outputFormat === 'json') {
      this.print({ chain_id: b.chainId, rpc: b.node, metrics: b.metrics ?? null, home: this.home, dev_account: { name: b.keyName ?? null, address: b.address, mnemonic: b.mnemonic } });
      return;
    }
    const lines = [
      '',
      'Guts devnet is running.',
      `  chain id     ${b.chainId}`,
      `  RPC          ${b.node}`,
      ...(b.metrics ? [`  metrics      ${b.metrics}`] : []),
      `  home         ${tildify(this.home)}`,
      `  dev account  ${b.address}${b.keyName ? ` (key "${b.keyName}", test keyring)` : ''}`,
      `  mnemonic     ${b.mnemonic}`,
      '',
      'Try:',
      `  guts query bank balances ${b.address}${homeFlag}`,
      `  guts tx bank send ${from} ${SAMPLE_RECIPIENT} 1000ugut${homeFlag} -y`,
      `  guts status${homeFlag}`,
      '',
      'Ctrl-C stops the devnet; run the same command again to continue the chain.',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  }
}
