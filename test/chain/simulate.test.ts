import { afterEach, describe, expect, it } from 'vitest';
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { TxRaw } from 'cosmjs-types/cosmos/tx/v1beta1/tx';
import { SignMode } from 'cosmjs-types/cosmos/tx/signing/v1beta1/signing';
import { encodePubkey, makeAuthInfoBytes } from '@cosmjs/proto-signing';
import { encodeSecp256k1Pubkey } from '@cosmjs/amino';
import { genesisJson, makeAccounts, openTestChain, removeDir, send, signTx, type TestChain } from '../helpers/chain.js';

const chains: TestChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) {
    await c.close();
    removeDir(c.dir);
  }
});

describe('simulation (--gas auto)', () => {
  it('estimates, from a fee-less unsigned tx as cosmjs sends it, within 1.3x of the gas the signed tx uses', async () => {
    const accts = await makeAccounts(2, 3);
    const [a, b] = accts;
    const chain = await openTestChain(genesisJson(accts.map((x) => ({ address: x.address, amount: 10_000_000n }))));
    chains.push(chain);
    const { auth } = (await import('../../app/chain/modules.js')).createModules();
    a!.accountNumber = (await auth.keeper.getAccount({ store: await chain.store.readAt() }, a!.address))!.accountNumber;
    const fresh = (await makeAccounts(1, 99))[0]!;
    for (const to of [b!.address, fresh.address]) {
      const seq = a!.sequence;
      // what cosmjs SigningStargateClient.simulate sends: no fee, gas 0, SIGN_MODE_UNSPECIFIED, empty signature
      const signed = TxRaw.decode(await signTx(a!, [send(a!.address, to, 5n)], { chainId: chain.chainId, sequence: seq, accountNumber: a!.accountNumber }));
      const authInfoBytes = makeAuthInfoBytes([{ pubkey: encodePubkey(encodeSecp256k1Pubkey(a!.pubkey)), sequence: Number(seq) }], [], 0, undefined, undefined, SignMode.SIGN_MODE_UNSPECIFIED);
      const simBytes = TxRaw.encode({ bodyBytes: signed.bodyBytes, authInfoBytes, signatures: [new Uint8Array()] }).finish();
      const q = await chain.app.query({ path: '/cosmos.tx.v1beta1.Service/Simulate', data: SimulateRequest.encode({ txBytes: simBytes }).finish(), height: 0n, prove: false });
      expect(q.code, q.log).toBe(0);
      const estimate = SimulateResponse.decode(q.value).gasInfo!.gasUsed;
      const res = await chain.block([await signTx(a!, [send(a!.address, to, 5n)], { chainId: chain.chainId, sequence: seq, accountNumber: a!.accountNumber })]);
      const used = res.txResults[0]!.gasUsed;
      expect(res.txResults[0]!.code, res.txResults[0]!.log).toBe(0);
      expect(estimate * 13n / 10n).toBeGreaterThanOrEqual(used);
      expect(estimate).toBeLessThanOrEqual(used * 13n / 10n);
      a!.sequence += 1n;
    }
  });
});
