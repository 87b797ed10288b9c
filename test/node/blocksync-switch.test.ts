/**
 * A validator in consensus that falls far behind switches to blocksync on its own,
 * catches up and votes again. Three real `guts start` processes on loopback (stakes
 * 4:3:1, so the other two go on without the smallest); the smallest is frozen with
 * SIGSTOP while the others commit more than `consensus.blocksync_switch_margin` blocks,
 * then resumed: its consensus is still running, as after a long GC pause, a suspended
 * VM or a starved machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseTestnetConfig } from '../../testnet/config.js';
import { generateTestnet, type TestnetManifest } from '../../testnet/generate.js';
import { freePortRange, httpRpc, nodeStatus, startTestnetNode, stopTestnetNodes, type RunningTestnetNode } from '../../testnet/launch.js';
import { tempHome, waitFor } from '../helpers/devnet-process.js';

const SWITCH_MARGIN = 5;
/** Blocks the others commit while the frozen validator sleeps: far beyond the margin and the engine's one-height catch-up. */
const GAP = 20;

interface LogLine {
  msg: string;
  height?: number;
  applied?: number;
  bestPeerHeight?: number;
}

describe('a validator that falls behind while in consensus', { timeout: 120_000 }, () => {
  let dir: string;
  let manifest: TestnetManifest;
  const running = new Map<string, RunningTestnetNode>();

  const heightOf = async (name: string) => (await nodeStatus(manifest.nodes.find((x) => x.name === name)!)).height;
  const minHeight = async (names: string[]) => Math.min(...(await Promise.all(names.map(heightOf))));

  beforeAll(async () => {
    dir = tempHome('guts-blocksync-switch-');
    const base = await freePortRange(40, 22_000);
    const config = parseTestnetConfig(`
network: { name: switch, chain_id: guts-switch-3 }
genesis:
  validators:
    - { name: a, stake: 4000000 }
    - { name: b, stake: 3000000 }
    - { name: d, stake: 1000000 }
local: { base_port: ${base} }
`);
    manifest = await generateTestnet({
      config,
      out: join(dir, 'net'),
      configure: (c) => {
        c.consensus.timeoutProposeMs = 800;
        c.consensus.timeoutPrevoteMs = 300;
        c.consensus.timeoutPrecommitMs = 300;
        c.consensus.timeoutCommitMs = 50;
        c.consensus.blocksyncSwitchMargin = SWITCH_MARGIN;
      },
    });
    for (const n of manifest.nodes) running.set(n.name, startTestnetNode(n));
  });

  afterAll(async () => {
    const d = running.get('d');
    if (d && d.child.exitCode === null) d.child.kill('SIGCONT');
    await stopTestnetNodes([...running.values()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops voting, catches up by blocksync, and votes again', async () => {
    const live = ['a', 'b'];
    const d = running.get('d')!;
    const dNode = manifest.nodes.find((n) => n.name === 'd')!;
    const dLog = () =>
      readFileSync(join(dNode.home, 'node.log'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as LogLine);
    await waitFor('height 2 on every node', async () => ((await minHeight([...live, 'd'])) >= 2 ? true : undefined), 60_000).catch((e) => {
      throw new Error(`${(e as Error).message}; logs under ${dir}`);
    });

    // freeze d with its consensus running; the others go on (7/8 of the power)
    d.child.kill('SIGSTOP');
    const h0 = await minHeight(live);
    await waitFor(`${GAP} blocks without d`, async () => ((await minHeight(live)) >= h0 + GAP ? true : undefined), 60_000);
    d.child.kill('SIGCONT');
    const resumedAt = await minHeight(live);

    // d notices it is behind and switches from consensus to blocksync, then back
    const switched = await waitFor('d to switch to blocksync', async () => dLog().find((l) => l.msg === 'behind peers: switching from consensus to blocksync'), 30_000).catch((e) => {
      throw new Error(`${(e as Error).message}; log: ${dNode.home}/node.log`);
    });
    expect(switched.bestPeerHeight! - switched.height!).toBeGreaterThan(SWITCH_MARGIN);
    const back = await waitFor('d back in consensus', async () => dLog().find((l) => l.msg === 'back to consensus after blocksync'), 30_000);
    expect(back.height!).toBeGreaterThanOrEqual(resumedAt - SWITCH_MARGIN);
    const synced = dLog().filter((l) => l.msg === 'blocksync done');
    expect(synced.at(-1)!.applied!).toBeGreaterThan(0);

    // it votes again: its precommit is in a commit of a block after the hand-over
    const after = back.height! + 1;
    const signedBy = async (h: number) => {
      const r = (await (await fetch(`${httpRpc(manifest.nodes[0]!)}/commit?height=${h}`)).json()) as {
        result?: { signed_header: { commit: { signatures: { block_id_flag: number; validator_address: string }[] } } };
      };
      return r.result?.signed_header.commit.signatures.some((s) => s.block_id_flag === 2 && s.validator_address.toUpperCase() === dNode.validatorAddress.toUpperCase());
    };
    await waitFor('a commit signed by d after the hand-over', async () => {
      const top = await heightOf('a');
      for (let h = after; h <= top; h++) if (await signedBy(h)) return true;
      return undefined;
    }, 30_000);
    // and it keeps up with the others
    expect(await heightOf('d')).toBeGreaterThanOrEqual(resumedAt);
  });
});
