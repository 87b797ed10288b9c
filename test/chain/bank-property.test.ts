/**
 * Property: any sequence of blocks of signed transfers (valid, overdrawn, replayed,
 * out-of-order) leaves balances equal to a simple model, supply equal to the sum of
 * balances, and no negative balance.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createModules } from '../../app/chain/modules.js';
import { moduleAddress } from '../../app/chain/address.js';
import { genesisJson, makeAccounts, openTestChain, removeDir, send, signTx, type TestAccount, type TestChain } from '../helpers/chain.js';

const FEE = 10n;
const START = 1_000n;

describe('bank transfers keep the books', () => {
  const open: TestChain[] = [];
  afterAll(async () => {
    for (const c of open) {
      await c.close();
      removeDir(c.dir);
    }
  });

  it('matches a model and keeps supply = sum of balances after every block', async () => {
    const accts = await makeAccounts(4, 7);
    const { bank, auth } = createModules();
    const transfer = fc.record({ from: fc.nat(3), to: fc.nat(3), amount: fc.bigInt({ min: 1n, max: 1_500n }), seqSkew: fc.constantFrom(0n, 0n, 0n, 1n, -1n) });
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(transfer, { maxLength: 5 }), { minLength: 1, maxLength: 4 }), async (blocks) => {
        const chain = await openTestChain(genesisJson(accts.map((a) => ({ address: a.address, amount: START }))));
        open.push(chain);
        const model = new Map(accts.map((a) => [a.address, START]));
        const seq = new Map(accts.map((a) => [a.address, 0n]));
        const num = new Map<string, bigint>();
        for (const a of accts) num.set(a.address, (await auth.keeper.getAccount({ store: await chain.store.readAt() }, a.address))!.accountNumber);
        let collected = 0n;
        for (const txs of blocks) {
          const signed: Uint8Array[] = [];
          const planned: { from: TestAccount; to: TestAccount; amount: bigint; sequence: bigint }[] = [];
          const nextSeq = new Map(seq);
          for (const t of txs) {
            const from = accts[t.from]!;
            const to = accts[t.to]!;
            const sequence = nextSeq.get(from.address)! + t.seqSkew;
            if (sequence < 0n) continue;
            if (t.seqSkew === 0n) nextSeq.set(from.address, sequence + 1n);
            planned.push({ from, to, amount: t.amount, sequence });
            signed.push(await signTx(from, [send(from.address, to.address, t.amount)], { chainId: chain.chainId, fee: FEE, sequence, accountNumber: num.get(from.address)! }));
          }
          const res = await chain.block(signed);
          planned.forEach((p, i) => {
            const code = res.txResults[i]!.code;
            const expectedSeq = seq.get(p.from.address)!;
            if (p.sequence !== expectedSeq || model.get(p.from.address)! < FEE) {
              expect(code === 32 || code === 5).toBe(true);
              return;
            }
            seq.set(p.from.address, expectedSeq + 1n);
            model.set(p.from.address, model.get(p.from.address)! - FEE);
            collected += FEE;
            if (model.get(p.from.address)! < p.amount) {
              expect(code).toBe(5);
              return;
            }
            expect(code).toBe(0);
            model.set(p.from.address, model.get(p.from.address)! - p.amount);
            model.set(p.to.address, model.get(p.to.address)! + p.amount);
          });
          const view = { store: await chain.store.readAt() };
          let sum = 0n;
          for await (const { coin } of bank.keeper.allBalances(view)) {
            expect(BigInt(coin.amount)).toBeGreaterThan(0n);
            sum += BigInt(coin.amount);
          }
          expect(sum).toBe(await bank.keeper.getSupply(view, 'ugut'));
          expect(sum).toBe(START * 4n);
          for (const a of accts) expect(await bank.keeper.getBalance(view, a.address, 'ugut')).toBe(model.get(a.address));
          expect(await bank.keeper.getBalance(view, moduleAddress('fee_collector'), 'ugut')).toBe(collected);
        }
      }),
      { numRuns: 15, seed: 20261125 },
    );
  });
});
