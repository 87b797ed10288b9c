/** The on-chain faucet through the real app: amount, cooldown in block time, lifetime limit, empty, disabled. */
import { afterEach, describe, expect, it } from 'vitest';
import { QueryRecipientRequest, QueryRecipientResponse } from '../../../proto/gen/guts/faucet/v1/query.js';
import { FAUCET, gutsGenesis, makeAccounts, openGutsChain, type GutsChain, type TestAccount } from '../sybil/chain.js';

const chains: GutsChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

async function setup(opts: { funds?: bigint; params?: Record<string, unknown> } = {}) {
  const [operator, alice, bob] = await makeAccounts(3, 55);
  const genesis = gutsGenesis({
    accounts: [
      { address: operator!.address, amount: 1_000_000n },
      { address: alice!.address, amount: 1n },
      { address: bob!.address, amount: 1n },
      ...(opts.funds === 0n ? [] : [{ address: FAUCET, amount: opts.funds ?? 1_000n }]),
    ],
    state: {
      faucet: (f) => Object.assign(f.params, { amount_per_request: { denom: 'ugut', amount: '100' }, lifetime_limit: '250', cooldown_seconds: '60' }, opts.params ?? {}),
    },
  });
  const chain = await openGutsChain(genesis, [operator!, alice!, bob!]);
  chains.push(chain);
  return { chain, operator: operator!, alice: alice!, bob: bob! };
}

const request = (sender: TestAccount, recipient: string) => ({ typeUrl: '/guts.faucet.v1.MsgFaucetRequest', value: { sender: sender.address, recipient } });

async function balance(chain: GutsChain, address: string): Promise<bigint> {
  return chain.modules.bank.keeper.getBalance(await chain.read(), address, 'ugut');
}

describe('faucet', () => {
  it('pays amount_per_request and refuses a second request inside the cooldown, in CheckTx and in the block', async () => {
    const { chain, operator, alice } = await setup();
    const first = await chain.sign(operator, [request(operator, alice.address)]);
    expect((await chain.check(first)).code).toBe(0);
    // a second request in the same block is refused already in CheckTx
    const second = await chain.sign(operator, [request(operator, alice.address)]);
    const c = await chain.check(second);
    expect([c.codespace, c.code]).toEqual(['faucet', 3]);
    const res = await chain.block([first, second], { timeStep: 5n });
    expect(res.txResults.map((r) => `${r.codespace}/${r.code}`)).toEqual(['/0', 'faucet/3']);
    expect(res.txResults[1]!.log).toMatch(/may ask again at .* \(in 60 s of block time\)/);
    expect(await balance(chain, alice.address)).toBe(101n);
    expect(await balance(chain, FAUCET)).toBe(900n);
    // 59 s later still refused, 60 s later paid
    expect((await chain.block([await chain.sign(operator, [request(operator, alice.address)])], { timeStep: 59n })).txResults[0]!.code).toBe(3);
    expect((await chain.block([await chain.sign(operator, [request(operator, alice.address)])], { timeStep: 1n })).txResults[0]!.code).toBe(0);
    expect(await balance(chain, alice.address)).toBe(201n);
  });

  it('pays at most lifetime_limit per identity, the last request getting the remainder', async () => {
    const { chain, operator, alice } = await setup();
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await chain.block([await chain.sign(operator, [request(operator, alice.address)])], { timeStep: 60n })).txResults[0]!.code);
    expect(codes).toEqual([0, 0, 0, 4]);
    expect(await balance(chain, alice.address)).toBe(251n);
    const q = await chain.app.query({ path: '/guts.faucet.v1.Query/Recipient', data: QueryRecipientRequest.encode({ address: alice.address }).finish(), height: 0n, prove: false });
    const r = QueryRecipientResponse.decode(q.value);
    expect(r.recipient).toMatchObject({ totalReceived: '250', requests: 3n });
    expect(r.remaining).toBe('0');
  });

  it('says "faucet empty" (faucet/2) when the account cannot pay, and nothing moves', async () => {
    const { chain, operator, alice, bob } = await setup({ funds: 150n });
    const res = await chain.block([await chain.sign(operator, [request(operator, alice.address)]), await chain.sign(operator, [request(operator, bob.address)])]);
    expect(res.txResults.map((r) => `${r.codespace}/${r.code}`)).toEqual(['/0', 'faucet/2']);
    expect(res.txResults[1]!.log).toContain('faucet empty');
    expect(res.txResults[1]!.log).toContain(`holds 50ugut`);
    expect(await balance(chain, bob.address)).toBe(1n);
    const unfunded = await setup({ funds: 0n });
    const c = await unfunded.chain.check(await unfunded.chain.sign(unfunded.operator, [request(unfunded.operator, unfunded.alice.address)]));
    expect([c.codespace, c.code]).toEqual(['faucet', 2]);
  });

  it('refuses when disabled (faucet/5), and bad recipients with sdk/7 or faucet/8', async () => {
    const { chain, operator, alice } = await setup({ params: { enabled: false } });
    const r = await chain.check(await chain.sign(operator, [request(operator, alice.address)]));
    expect([r.codespace, r.code]).toEqual(['faucet', 5]);
    const bad = await chain.check(await chain.sign(operator, [request(operator, 'guts1xyz')]));
    expect(bad.code).toBe(7);
    const self = await chain.check(await chain.sign(operator, [request(operator, FAUCET)]));
    expect([self.codespace, self.code]).toEqual(['faucet', 8]);
  });
});
