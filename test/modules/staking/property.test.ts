/**
 * Random valid and invalid staking messages from a few accounts over many blocks, with
 * missed votes and double signs mixed in; the helper checks the invariants after every
 * block. The same seed twice gives the same app hash.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { toHex } from '@cosmjs/encoding';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { consKey, doubleSign, makeAccounts, msg, openStakingChain, registry, type ConsKey, type StakingChain } from './helpers.js';
import type { TestAccount } from '../../helpers/chain.js';

const chains: StakingChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

const N = 6;
const keys: ConsKey[] = Array.from({ length: N }, (_, i) => consKey(`prop-${i}`));

type Op =
  | { t: 'create'; who: number; amount: number }
  | { t: 'stake'; who: number; to: number; amount: number }
  | { t: 'unstake'; who: number; from: number; amount: number }
  | { t: 'redelegate'; who: number; from: number; to: number; amount: number }
  | { t: 'withdraw'; who: number }
  | { t: 'unjail'; who: number };

const who = fc.integer({ min: 0, max: N - 1 });
/** Mostly the three validators created in the first block, sometimes anyone. */
const val = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 2 }) }, { weight: 1, arbitrary: who });
const amount = fc.integer({ min: 1, max: 4000 });
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('create' as const), who, amount: fc.integer({ min: 500, max: 8000 }) }),
  fc.record({ t: fc.constant('stake' as const), who, to: val, amount }),
  fc.record({ t: fc.constant('stake' as const), who, to: val, amount }),
  fc.record({ t: fc.constant('unstake' as const), who, from: val, amount }),
  fc.record({ t: fc.constant('unstake' as const), who, from: val, amount }),
  fc.record({ t: fc.constant('redelegate' as const), who, from: val, to: val, amount }),
  fc.record({ t: fc.constant('withdraw' as const), who }),
  fc.record({ t: fc.constant('unjail' as const), who }),
);
const blockArb: fc.Arbitrary<BlockPlan> = fc.record({
  ops: fc.array(op, { maxLength: 4 }),
  missing: fc.array(fc.oneof({ weight: 5, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }), { minLength: N, maxLength: N }),
  doubleSign: fc.oneof({ weight: 60, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: who }),
});

type BlockPlan = { ops: Op[]; missing: boolean[]; doubleSign: number | null };

function encode(accts: TestAccount[], o: Op) {
  const a = (i: number) => accts[i]!.address;
  switch (o.t) {
    case 'create':
      return msg.createValidator(a(o.who), keys[o.who]!, BigInt(o.amount));
    case 'stake':
      return msg.stake(a(o.who), a(o.to), BigInt(o.amount));
    case 'unstake':
      return msg.unstake(a(o.who), a(o.from), BigInt(o.amount));
    case 'redelegate':
      return msg.redelegate(a(o.who), a(o.from), a(o.to), BigInt(o.amount));
    case 'withdraw':
      return msg.withdraw(a(o.who));
    case 'unjail':
      return msg.unjail(a(o.who));
  }
}

function passesValidateBasic(chain: StakingChain, m: EncodeObject): boolean {
  const h = chain.modules.list.flatMap((mod) => mod.msgs ?? []).find((x) => x.typeUrl === m.typeUrl)!;
  try {
    h.validateBasic(h.decode(registry.encode(m)));
    return true;
  } catch {
    return false;
  }
}

async function run(accts: TestAccount[], blocks: BlockPlan[]): Promise<string> {
  // two changes per block: an epoch's queue usually drains over the blocks after its end
  const chain = await openStakingChain({ accounts: accts.map((a) => ({ address: a.address, amount: 1_000_000n })), staking: { max_changes_per_block: '2' }, slashing: { signed_blocks_window: '10' } });
  chains.push(chain);
  const opening: BlockPlan = { ops: [0, 1, 2].map((i): Op => ({ t: 'create', who: i, amount: 5000 })), missing: keys.map(() => false), doubleSign: null };
  for (const b of [opening, ...blocks]) {
    const txs: Uint8Array[] = [];
    for (const o of b.ops) {
      const m = encode(accts, o);
      txs.push(await chain.sign(accts[o.who]!, [m], { fee: 1n }));
      // a message refused by validateBasic never reaches the ante handler: its sequence is reused
      if (!passesValidateBasic(chain, m)) chain.sequences.set(accts[o.who]!.address, chain.sequences.get(accts[o.who]!.address)! - 1n);
    }
    const votes = keys.map((k, i) => ({ address: k.address, signed: !b.missing[i] }));
    const res = await chain.block(txs, { votes, misbehavior: b.doubleSign === null ? [] : [doubleSign(keys[b.doubleSign]!, BigInt(Math.max(1, chain.height - 2)))] });
    res.txResults.forEach((r) => expect(r.code === 0 || r.codespace !== 'sdk' || r.code === 5, r.log).toBe(true)); // sdk/5: stake above the balance
    // txs refused before or by the ante handler did not use their sequence
    const view = await chain.view();
    for (const a of accts) chain.sequences.set(a.address, (await chain.modules.auth.keeper.getAccount(view, a.address))?.sequence ?? 0n);
  }
  return toHex(chain.store.committedRoot);
}

describe('staking under random messages', () => {
  it('keeps supply, pools, shares and rewards consistent every block', async () => {
    const accts = await makeAccounts(N, 81);
    await fc.assert(
      fc.asyncProperty(fc.array(blockArb, { minLength: 20, maxLength: 30 }), async (blocks) => {
        try {
          await run(accts, blocks);
        } catch (e) {
                throw e;
        } finally {
          for (const c of chains.splice(0)) await c.close();
        }
      }),
      { numRuns: 6, seed: 20261126, endOnFailure: true },
    );
  });

  it('is deterministic: the same blocks give the same app hash', async () => {
    const accts = await makeAccounts(N, 82);
    const blocks = fc.sample(fc.array(blockArb, { minLength: 25, maxLength: 25 }), { seed: 7, numRuns: 1 })[0]!;
    const h1 = await run(accts, blocks);
    const h2 = await run(accts, blocks);
    expect(h1).toBe(h2);
  });
});
