/**
 * `StakingApi.delegationsOfMany` (gov's tally) answers exactly what `delegationsOf` answers
 * per delegator, on the per-delegator path (few delegators) and the scan path (many).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bondValidator, gutsGenesis, makeAccounts, openGutsChain, type GutsChain, type TestAccount } from '../sybil/chain.js';

let chain: GutsChain;
let delegators: TestAccount[];
let validators: TestAccount[];

beforeAll(async () => {
  const accts = await makeAccounts(74, 303);
  validators = accts.slice(0, 2);
  delegators = accts.slice(2);
  chain = await openGutsChain(gutsGenesis({ accounts: accts.map((a) => ({ address: a.address, amount: 100_000_000n })) }), accts);
  for (const v of validators) await bondValidator(chain, v, 1_000_000n);
  // every delegator stakes on one or both validators, different amounts
  const txs = await Promise.all(
    delegators.map((d, i) =>
      chain.sign(d, [
        { typeUrl: '/guts.staking.v1.MsgStake', value: { delegatorAddress: d.address, validatorAddress: validators[i % 2]!.address, amount: { denom: 'ugut', amount: String(1000 + i) } } },
        ...(i % 3 === 0 ? [{ typeUrl: '/guts.staking.v1.MsgStake', value: { delegatorAddress: d.address, validatorAddress: validators[(i + 1) % 2]!.address, amount: { denom: 'ugut', amount: String(7 * i + 1) } } }] : []),
      ]),
    ),
  );
  const res = await chain.block(txs);
  expect(res.txResults.every((r) => r.code === 0)).toBe(true);
  for (let i = 0; i < 3; i++) await chain.block([]);
});

afterAll(async () => {
  await chain?.close();
});

async function compare(addresses: string[]) {
  const api = chain.modules.staking.api;
  const read = await chain.read();
  const many = await api.delegationsOfMany(read, new Set(addresses));
  expect([...many.keys()].sort()).toEqual([...new Set(addresses)].sort());
  for (const a of addresses) {
    const one = (await api.delegationsOf(read, a)).map(({ validator, amount }) => ({ validator, amount }));
    expect(many.get(a)).toEqual(one);
  }
}

describe('delegationsOfMany', () => {
  it('matches delegationsOf for a few delegators (one iterator each)', async () => {
    await compare([...delegators.slice(0, 5).map((d) => d.address), validators[0]!.address]);
  });

  it('matches delegationsOf for many delegators (one scan), including one with no delegation', async () => {
    const [stranger] = await makeAccounts(1, 304);
    const all = [...delegators.map((d) => d.address), ...validators.map((v) => v.address), stranger!.address];
    expect(all.length).toBeGreaterThanOrEqual(64);
    await compare(all);
    expect((await chain.modules.staking.api.delegationsOfMany(await chain.read(), new Set(all))).get(stranger!.address)).toEqual([]);
  });
});
