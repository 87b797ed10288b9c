import { parseDurationMs } from '../args.js';
import { BaseCommand } from '../base.js';
import { tildify } from '../home.js';
import { loadNodeApi } from '../node-api.js';
import { fatalSignal, nodeRunFlags, rpcUrl, runUntilSignal, toNodeLogFormat } from '../node-run.js';

export default class Start extends BaseCommand<typeof Start> {
  static override summary = 'Run the node in the foreground until Ctrl-C (SIGINT) or SIGTERM.';
  static override description =
    'Runs consensus, the peer-to-peer layer and the RPC server from an initialized home (see `guts init`). Logs go to stdout, one JSON object per line by default. SIGINT or SIGTERM stops the node cleanly and exits 0; a second signal exits at once.';

  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --home ~/.guts-node0 --log-format plain --log-level debug',
    '<%= config.bin %> <%= command.id %> --rpc.laddr tcp://0.0.0.0:26657',
  ];

  static override flags = { ...nodeRunFlags };

  async run(): Promise<never> {
    const { flags } = this;
    const blockTimeMs = flags['block-time'] === undefined ? undefined : parseDurationMs(flags['block-time'], '--block-time');
    const api = await loadNodeApi();
    const { fatal, onFatal } = fatalSignal();
    const node = await api.startNode({
      home: this.home,
      logFormat: toNodeLogFormat(flags['log-format'], 'json'),
      logLevel: flags['log-level'],
      rpcListen: flags['rpc.laddr'],
      metricsListen: flags['metrics.laddr'],
      blockTimeMs,
      onFatal,
    });
    this.note(`guts node started: chain ${node.chainId}, home ${tildify(this.home)}, RPC ${rpcUrl(node.rpcAddress)} (Ctrl-C to stop)`);
    return runUntilSignal(node, fatal);
  }
}
