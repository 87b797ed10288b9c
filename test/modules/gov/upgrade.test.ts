import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toBase64, toHex } from '@cosmjs/encoding';
import { afterEach, describe, expect, it } from 'vitest';
import { createBlockStore, blockStoreSublevels } from '../../../app/consensus/blockstore.js';
import { createMempool } from '../../../app/consensus/mempool.js';
import { generateFilePV } from '../../../app/consensus/privval.js';
import { createProducer } from '../../../app/consensus/producer.js';
import { formatError } from '../../../cli/errors.js';
import { removeDir, type TestAccount } from '../../helpers/chain.js';
import { UpgradeHandlers, UpgradeNeededError } from '../../../modules/gov/upgrade.js';
import type { UpgradePlan } from '../../../proto/gen/guts/gov/v1/gov.js';
import { FakeStaking, GENESIS_SECONDS, VoteOption, content, fillAccountNumbers, govAccounts, govChainGenesis, msg, openGovChain, type GovChain } from './harness.js';

let open: GovChain | undefined;
afterEach(async () => {
  if (!open) return;
  await open.close().catch(() => undefined);
  removeDir(open.dir);
  open = undefined;
});

const ACTIVATION = 25n;

/** A chain where ProtocolUpgrade `v2` at height 25 has passed and waits to activate; run up to `stopAt`. */
async function scheduled(stopAt = Number(ACTIVATION) - 1): Promise<{ chain: GovChain; v0: TestAccount }> {
  const accts = await govAccounts(2);
  const [v0, v1] = accts as [TestAccount, TestAccount];
  const staking = new FakeStaking().addValidator(v0.address, 600n).addValidator(v1.address, 400n);
  let chain = await openGovChain(govChainGenesis(accts), staking);
  open = chain;
  await fillAccountNumbers(chain, accts);
  await chain.block([await chain.sign(v0, [msg.submit(v0.address, content.upgrade('v2', ACTIVATION, 'v2.0.0'))])]);
  await chain.block([await chain.sign(v0, [msg.vote(v0.address, 1n, VoteOption.VOTE_OPTION_YES)])]);
  while (chain.height() < stopAt) await chain.block();
  const plan = await chain.gov.keeper.getUpgradePlan({ store: await chain.store.readAt() });
  expect(plan).toMatchObject({ name: 'v2', version: 'v2.0.0', height: ACTIVATION });
  return { chain, v0 };
}

describe('gov ProtocolUpgrade', () => {
  it('halts every block at the activation height with UPGRADE NEEDED and keeps nothing of it', async () => {
    let { chain } = await scheduled();
    const root = chain.store.committedRoot;
    const err = await chain.block().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UpgradeNeededError);
    expect((err as Error).message).toMatch(/^UPGRADE NEEDED: v2 at height 25: .*version v2\.0\.0/);
    expect(chain.height()).toBe(24);
    expect(chain.store.committedRoot).toEqual(root);
    // the same binary started again on the same data halts again
    chain = open = await chain.reopen();
    await expect(chain.block()).rejects.toThrow(/^UPGRADE NEEDED: v2/);
    expect(chain.height()).toBe(24);
  });

  it('goes on from the same data with a binary that registers the handler', async () => {
    let { chain } = await scheduled();
    await expect(chain.block()).rejects.toThrow(/^UPGRADE NEEDED: v2/);
    const ran: { height: number; plan: UpgradePlan }[] = [];
    const upgrades = new UpgradeHandlers().register('v2', async (ctx, plan) => {
      ran.push({ height: ctx.height, plan });
    });
    chain = open = await chain.reopen(upgrades);
    const res = await chain.block();
    expect(chain.height()).toBe(25);
    expect(ran).toHaveLength(1);
    expect(ran[0]).toMatchObject({ height: 25, plan: { name: 'v2', version: 'v2.0.0' } });
    expect(res.events.find((e) => e.type === 'upgrade_applied')?.attributes).toContainEqual({ key: 'name', value: 'v2', index: true });
    const ctx = { store: await chain.store.readAt() };
    expect(await chain.gov.keeper.getUpgradePlan(ctx)).toBeUndefined();
    expect(await chain.gov.keeper.appliedUpgrades(ctx)).toEqual([{ name: 'v2', version: 'v2.0.0', height: 25n }]);
    await chain.block();
    expect(ran).toHaveLength(1);
    // the old binary is refused on the upgraded data
    chain = open = await chain.reopen();
    await expect(chain.block()).rejects.toThrow(/^UPGRADE NEEDED: v2: .*applied at height 25/);
  });

  it('refuses to run the new binary before the activation height', async () => {
    let { chain } = await scheduled(20);
    chain = open = await chain.reopen(new UpgradeHandlers().register('v2', async () => undefined));
    await expect(chain.block()).rejects.toThrow(/binary too new: .*v2.*scheduled for height 25/);
    expect(chain.height()).toBe(20);
  });
});

describe('gov ProtocolUpgrade through the block producer', () => {
  it('stops block production at the height and hands UPGRADE NEEDED to onFatal and the log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'guts-gov-pv-'));
    const pv = await generateFilePV(join(dir, 'key.json'), join(dir, 'state.json'));
    const accts = await govAccounts(1);
    const staking = new FakeStaking().addValidator(accts[0]!.address, 100n);
    const genesis = govChainGenesis(accts, { gov: { upgradePlan: { name: 'v2', version: 'v2.0.0', height: 3n, info: 'https://example.org/v2', proposalId: 0n } } });
    genesis.validators = [{ address: toHex(pv.address).toUpperCase(), pub_key: { type: 'tendermint/PubKeyEd25519', value: toBase64(pv.pubKey) }, power: '10', name: 'v0' }];
    const chain = (open = await openGovChain(genesis, staking));
    const timers: { fn: () => void }[] = [];
    const fatal: Error[] = [];
    const logged: string[] = [];
    let ms = Date.UTC(2026, 8, 1);
    const producer = createProducer({
      app: chain.app,
      blockStore: await createBlockStore(blockStoreSublevels(chain.db)),
      mempool: createMempool({ app: chain.app }),
      privValidator: pv,
      chainId: chain.chainId,
      genesisTime: { seconds: GENESIS_SECONDS, nanos: 0 },
      now: () => (ms += 1000),
      timers: { setTimeout: (fn) => timers.push({ fn }), clearTimeout: () => undefined },
      logger: { info: () => undefined, warn: () => undefined, error: (o, m) => logged.push(`${m} ${(o as { err?: string }).err ?? ''}`) },
      onFatal: (e) => fatal.push(e),
    });
    await producer.start();
    for (let i = 0; i < 20 && fatal.length === 0; i++) {
      timers.shift()?.fn();
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(fatal).toHaveLength(1);
    expect(formatError(fatal[0])).toMatch(/^UPGRADE NEEDED: v2 at height 3: .*Install version v2\.0\.0 .*\(https:\/\/example\.org\/v2\)/);
    expect(logged.some((l) => l.includes('UPGRADE NEEDED: v2'))).toBe(true);
    expect(producer.height()).toBe(2);
    expect(timers).toHaveLength(0); // nothing scheduled: production stopped
    await producer.stop();
    removeDir(dir);
  });
});
