import { Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { BaseCommand } from '../../base.js';
import { CliError } from '../../errors.js';

export default class TestnetStart extends BaseCommand<typeof TestnetStart> {
  static override summary = 'Run every node of a generated testnet as a local process until Ctrl-C.';
  static override description =
    'Starts `guts start --home <dir>/<name>` for each node in <dir>/testnet.json (or only those named with --nodes), appends each node\'s output to <dir>/<name>/node.log, and prints the height, app hash and peer count of every node every --interval. Ctrl-C stops all nodes (SIGTERM, then SIGKILL after 10 s).';

  static override examples = ['<%= config.bin %> <%= command.id %> --dir ./testnet-local', '<%= config.bin %> <%= command.id %> --dir ./testnet-local --nodes us-east-1,eu-west-1 --interval 5s'];

  static override flags = {
    dir: Flags.string({ summary: 'Folder written by `guts testnet init`.', required: true }),
    nodes: Flags.string({ summary: 'Comma-separated node names to start (default: all).' }),
    interval: Flags.integer({ summary: 'Seconds between status lines.', default: 10, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = this;
    const { readManifest, startTestnetNode, nodeStatus, stopTestnetNodes } = await import('../../../testnet/launch.js');
    const manifest = await readManifest(resolve(flags.dir as string));
    const wanted = flags.nodes?.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = wanted?.filter((w) => !manifest.nodes.some((n) => n.name === w)) ?? [];
    if (unknown.length > 0) throw new CliError(`no node named ${unknown.join(', ')} in ${flags.dir}/testnet.json`);
    const chosen = manifest.nodes.filter((n) => !wanted || wanted.includes(n.name));
    const running = chosen.map((n) => startTestnetNode(n));
    this.note(`started ${running.length} nodes of ${manifest.chainId}; logs in <dir>/<name>/node.log; Ctrl-C stops them`);
    for (const r of running) {
      void r.exited.then((code) => {
        if (!stopping) this.note(`${r.node.name} exited with ${code}`);
      });
    }
    let stopping = false;
    const timer = setInterval(async () => {
      const st = await Promise.all(chosen.map((n) => nodeStatus(n)));
      const line = st.map((s) => (s.error ? `${s.name}=down` : `${s.name}=${s.height}${s.peers === undefined ? '' : `/${s.peers}p`}`)).join(' ');
      this.note(`${new Date().toISOString()} ${line}`);
    }, flags.interval * 1000);
    await new Promise<void>((res) => {
      const stop = () => {
        if (stopping) return;
        stopping = true;
        clearInterval(timer);
        this.note('stopping all nodes…');
        void stopTestnetNodes(running).then(res);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  }
}
