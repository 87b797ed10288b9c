/**
 * The repository registry through the real app: creation, ref compare-and-swap (also
 * under concurrent updates in one block), collaborator push rights, anchors, queries,
 * events the gossip layer reads, and coded errors for bad input.
 */
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Event } from 'cosmjs-types/tendermint/abci/types';
import { sha256 } from '@noble/hashes/sha2.js';
import { toHex } from '@cosmjs/encoding';
import { powChallenge, solvePow } from '../../../sdk/pow.js';
import { CollabEventType } from '../../../proto/gen/guts/repo/v1/repo.js';
import { QueryRefsRequest, QueryRefsResponse, QueryReposByOwnerRequest, QueryReposByOwnerResponse, QueryRefRequest, QueryRefResponse } from '../../../proto/gen/guts/repo/v1/query.js';
import { bondValidator, gutsGenesis, makeAccounts, openGutsChain, syncAccounts, type GutsChain, type TestAccount } from '../sybil/chain.js';

const chains: GutsChain[] = [];
afterEach(async () => {
  for (const c of chains.splice(0)) await c.close();
});

const oid = (n: number) => toHex(sha256(new Uint8Array([n]))).slice(0, 40);

async function setup(n = 4) {
  const accts = await makeAccounts(n, 77);
  const [owner, ...rest] = accts;
  // the owner bonds stake for creation and anchors; the others hold no stake
  const genesis = gutsGenesis({
    accounts: accts.map((a, i) => ({ address: a.address, amount: i === 0 ? 1_000_000_000n : 1_000n })),
    state: { sybil: (s) => Object.assign(s.params, { stake_create_repo: '1000', stake_collaboration: '1000', pow_bits_push: '6', pow_bits_collaboration: '6', pow_window: '10' }) },
  });
  const chain = await openGutsChain(genesis, accts);
  chains.push(chain);
  await bondValidator(chain, owner!, 1000n);
  const repo = `${owner!.address}/guts`;
  const created = await chain.block([await chain.sign(owner!, [{ typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: owner!.address, name: 'guts' } }])]);
  expect(created.txResults[0]!.code, created.txResults[0]!.log).toBe(0);
  return { chain, owner: owner!, others: rest, repo };
}

const updateRef = (signer: string, repo: string, ref: string, oldObjectId: string, newObjectId: string, pow?: { nonce: bigint; blockHeight: bigint }) => ({
  typeUrl: '/guts.repo.v1.MsgUpdateRef',
  value: { signer, repo, ref, oldObjectId, newObjectId, pow },
});

function attrs(events: Event[], type: string): Record<string, string>[] {
  return events.filter((e) => e.type === type).map((e) => Object.fromEntries(e.attributes.map((a) => [a.key, a.value])));
}

async function refOf(chain: GutsChain, repo: string, ref: string): Promise<string | undefined> {
  return (await chain.modules.repo.keeper.getRef(await chain.read(), repo, ref))?.objectId;
}

describe('ref compare-and-swap', () => {
  it('creates, moves and deletes a ref only from the object id it holds; a stale old id is refused (repo/4)', async () => {
    const { chain, owner, repo } = await setup();
    const main = 'refs/heads/main';
    const r1 = await chain.block([await chain.sign(owner, [updateRef(owner.address, repo, main, '', oid(1))])]);
    expect(r1.txResults[0]!.code, r1.txResults[0]!.log).toBe(0);
    expect(attrs(r1.txResults[0]!.events, 'ref_update')).toEqual([{ repo, ref: main, old_object_id: '', new_object_id: oid(1), signer: owner.address }]);
    const stale = await chain.block([await chain.sign(owner, [updateRef(owner.address, repo, main, oid(7), oid(2))])]);
    expect([stale.txResults[0]!.codespace, stale.txResults[0]!.code]).toEqual(['repo', 4]);
    expect(stale.txResults[0]!.log).toContain(`holds ${oid(1)}`);
    const recreate = await chain.block([await chain.sign(owner, [updateRef(owner.address, repo, main, '', oid(2))])]);
    expect(recreate.txResults[0]!.code).toBe(4);
    expect((await chain.block([await chain.sign(owner, [updateRef(owner.address, repo, main, oid(1), oid(2))])])).txResults[0]!.code).toBe(0);
    expect(await refOf(chain, repo, main)).toBe(oid(2));
    expect((await chain.block([await chain.sign(owner, [updateRef(owner.address, repo, main, oid(2), '')])])).txResults[0]!.code).toBe(0);
    expect(await refOf(chain, repo, main)).toBeUndefined();
    expect((await chain.modules.repo.keeper.getRepo(await chain.read(), repo))!.refCount).toBe(0n);
  });

  it('of concurrent updates from the same old id in one block, exactly the first applies', async () => {
    const { chain, owner, others, repo } = await setup();
    const [c1, c2] = others;
    await chain.block([
      await chain.sign(owner, [{ typeUrl: '/guts.repo.v1.MsgAddCollaborator', value: { owner: owner.address, repo, collaborator: c1!.address } }]),
      await chain.sign(owner, [{ typeUrl: '/guts.repo.v1.MsgAddCollaborator', value: { owner: owner.address, repo, collaborator: c2!.address } }]),
      await chain.sign(owner, [updateRef(owner.address, repo, 'refs/heads/main', '', oid(0))]),
    ]);
    const txs = [
      await chain.sign(c1!, [updateRef(c1!.address, repo, 'refs/heads/main', oid(0), oid(1))]),
      await chain.sign(c2!, [updateRef(c2!.address, repo, 'refs/heads/main', oid(0), oid(2))]),
      await chain.sign(owner, [updateRef(owner.address, repo, 'refs/heads/main', oid(0), oid(3))]),
    ];
    const res = await chain.block(txs);
    expect(res.txResults.map((r) => r.code)).toEqual([0, 4, 4]);
    expect(await refOf(chain, repo, 'refs/heads/main')).toBe(oid(1));
  });

  it('matches a model under random concurrent updates from several members (property)', async () => {
    const { chain, owner, others, repo } = await setup(3);
    const members = [owner, ...others];
    const adds: Uint8Array[] = [];
    for (const o of others) adds.push(await chain.sign(owner, [{ typeUrl: '/guts.repo.v1.MsgAddCollaborator', value: { owner: owner.address, repo, collaborator: o.address } }]));
    expect((await chain.block(adds)).txResults.map((r) => r.code)).toEqual([0, 0]);
    const refs = ['refs/heads/main', 'refs/heads/dev'];
    const model = new Map<string, string>();
    const update = fc.record({ who: fc.nat(members.length - 1), ref: fc.nat(refs.length - 1), fresh: fc.boolean(), guessOld: fc.nat(5), next: fc.nat(20) });
    await fc.assert(
      fc.asyncProperty(fc.array(update, { minLength: 1, maxLength: 6 }), async (ups) => {
        const txs: Uint8Array[] = [];
        const expected: number[] = [];
        const pending = new Map(model);
        for (const u of ups) {
          const ref = refs[u.ref]!;
          const held = pending.get(ref) ?? '';
          // half the time the signer read the current value, otherwise a guess that is usually stale
          const old = u.fresh ? held : u.guessOld === 0 ? '' : oid(100 + u.guessOld);
          const next = oid(u.next);
          if (old === next) continue;
          const who = members[u.who]!;
          txs.push(await chain.sign(who, [updateRef(who.address, repo, ref, old, next)]));
          if (old === held) {
            pending.set(ref, next);
            expected.push(0);
          } else expected.push(4);
        }
        const res = await chain.block(txs);
        expect(res.txResults.map((r) => r.code)).toEqual(expected);
        for (const [k, v] of pending) model.set(k, v);
        for (const ref of refs) expect(await refOf(chain, repo, ref)).toBe(model.get(ref));
      }),
      { numRuns: 15 },
    );
  });
});

describe('push rights', () => {
  it('collaborators push for free; others are refused, or push under refs/contrib/<self>/ with stake or work', async () => {
    const { chain, owner, others, repo } = await setup();
    const [c] = others;
    const heads = 'refs/heads/feature';
    const refused = await chain.block([await chain.sign(c!, [updateRef(c!.address, repo, heads, '', oid(1))])]);
    // the sybil gate first: not a member, no stake, no work
    expect([refused.txResults[0]!.codespace, refused.txResults[0]!.code]).toEqual(['sybil', 2]);
    const challenge = powChallenge({ chainId: chain.chainId, signer: c!.address, action: 'push', blockHash: chain.hashOf(chain.height()) });
    const worked = await chain.block([await chain.sign(c!, [updateRef(c!.address, repo, heads, '', oid(1), { nonce: (await solvePow({ challenge, bits: 6 })).nonce, blockHeight: BigInt(chain.height()) })])]);
    // work pays the gate, but the repo still refuses a non-member outside its namespace
    expect([worked.txResults[0]!.codespace, worked.txResults[0]!.code]).toEqual(['repo', 5]);
    const contrib = `refs/contrib/${c!.address}/fix`;
    const ch2 = powChallenge({ chainId: chain.chainId, signer: c!.address, action: 'push', blockHash: chain.hashOf(chain.height()) });
    const pr = await chain.block([await chain.sign(c!, [updateRef(c!.address, repo, contrib, '', oid(2), { nonce: (await solvePow({ challenge: ch2, bits: 6 })).nonce, blockHeight: BigInt(chain.height()) })])]);
    expect(pr.txResults[0]!.code, pr.txResults[0]!.log).toBe(0);

    await chain.block([await chain.sign(owner, [{ typeUrl: '/guts.repo.v1.MsgAddCollaborator', value: { owner: owner.address, repo, collaborator: c!.address } }])]);
    const free = await chain.block([await chain.sign(c!, [updateRef(c!.address, repo, heads, '', oid(3))])]);
    expect(free.txResults[0]!.code, free.txResults[0]!.log).toBe(0);
    expect(attrs(free.txResults[0]!.events, 'sybil_pow')).toEqual([]);

    // a collaborator leaves; pushing is refused again
    const left = await chain.block([await chain.sign(c!, [{ typeUrl: '/guts.repo.v1.MsgRemoveCollaborator', value: { signer: c!.address, repo, collaborator: c!.address } }])]);
    expect(attrs(left.txResults[0]!.events, 'collaborator_removed')).toEqual([{ repo, collaborator: c!.address }]);
    expect((await chain.block([await chain.sign(c!, [updateRef(c!.address, repo, heads, oid(3), oid(4))])])).txResults[0]!.code).toBe(2);
  });

  it('only the owner adds collaborators; limits and duplicates are coded errors', async () => {
    const { chain, owner, others, repo } = await setup();
    const [a, b] = others;
    const add = (signer: TestAccount, who: string) => chain.sign(signer, [{ typeUrl: '/guts.repo.v1.MsgAddCollaborator', value: { owner: signer.address, repo, collaborator: who } }]);
    const res = await chain.block([await add(a!, b!.address), await add(owner, a!.address), await add(owner, a!.address), await add(owner, owner.address)]);
    expect(res.txResults.map((r) => `${r.codespace}/${r.code}`)).toEqual(['repo/5', '/0', 'repo/9', 'repo/9']);
    const gone = await chain.block([await chain.sign(b!, [{ typeUrl: '/guts.repo.v1.MsgRemoveCollaborator', value: { signer: b!.address, repo, collaborator: a!.address } }])]);
    expect(gone.txResults[0]!.code).toBe(5);
  });
});

describe('collaboration anchors and queries', () => {
  it('anchors content hashes with revisions for the first author, emitting collab_event', async () => {
    const { chain, owner, others, repo } = await setup();
    const hash = sha256(new TextEncoder().encode('issue body'));
    const anchor = (who: TestAccount, contentHash: Uint8Array) => chain.sign(who, [{ typeUrl: '/guts.repo.v1.MsgAnchorCollabEvent', value: { author: who.address, repo, eventType: CollabEventType.COLLAB_EVENT_TYPE_ISSUE, itemId: '0b4e7c1a-5f7e-4c2a-9d1e-3b2f6a8c9d00', contentHash } }]);
    const res = await chain.block([await anchor(owner, hash), await anchor(owner, sha256(hash)), await anchor(others[0]!, hash)]);
    expect(res.txResults.map((r) => `${r.codespace}/${r.code}`)).toEqual(['/0', '/0', 'sybil/2']);
    expect(attrs(res.txResults[1]!.events, 'collab_event')).toEqual([
      { repo, event_type: 'issue', item_id: '0b4e7c1a-5f7e-4c2a-9d1e-3b2f6a8c9d00', content_hash: toHex(sha256(hash)), author: owner.address, revision: '2' },
    ]);
  });

  it('answers queries by repo, ref and owner', async () => {
    const { chain, owner, repo } = await setup();
    await chain.block([
      await chain.sign(owner, [updateRef(owner.address, repo, 'refs/heads/main', '', oid(1)), updateRef(owner.address, repo, 'refs/tags/v1', '', oid(2))]),
      await chain.sign(owner, [{ typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: owner.address, name: 'second' } }]),
    ]);
    const q = async (path: string, data: Uint8Array) => {
      const r = await chain.app.query({ path: `/guts.repo.v1.Query/${path}`, data, height: 0n, prove: false });
      return r;
    };
    const refs = QueryRefsResponse.decode((await q('Refs', QueryRefsRequest.encode({ repo }).finish())).value);
    expect(refs.refs.map((r) => [r.name, r.ref!.objectId])).toEqual([['refs/heads/main', oid(1)], ['refs/tags/v1', oid(2)]]);
    expect(QueryRefResponse.decode((await q('Ref', QueryRefRequest.encode({ repo, ref: 'refs/tags/v1' }).finish())).value).ref!.updatedBy).toBe(owner.address);
    const missing = await q('Ref', QueryRefRequest.encode({ repo, ref: 'refs/tags/none' }).finish());
    expect([missing.codespace, missing.code]).toEqual(['repo', 16]);
    const mine = QueryReposByOwnerResponse.decode((await q('ReposByOwner', QueryReposByOwnerRequest.encode({ owner: owner.address }).finish())).value);
    expect(mine.repos.map((r) => [r.name, r.refCount])).toEqual([['guts', 2n], ['second', 0n]]);
  });

  it('refuses bad input in CheckTx with registered errors and no state change', async () => {
    const { chain, owner, repo } = await setup();
    const before = chain.store.committedRoot;
    const cases: [object, string][] = [
      [{ typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: owner.address, name: '' } }, 'repo/6'],
      [{ typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: owner.address, name: 'x'.repeat(101) } }, 'repo/6'],
      [{ typeUrl: '/guts.repo.v1.MsgCreateRepo', value: { owner: 'guts1bad', name: 'ok' } }, 'sdk/7'],
      [updateRef(owner.address, 'no-slash', 'refs/heads/main', '', oid(1)), 'repo/6'],
      [updateRef(owner.address, repo, 'heads/main', '', oid(1)), 'repo/7'],
      [updateRef(owner.address, repo, 'refs/heads/../x', '', oid(1)), 'repo/7'],
      [updateRef(owner.address, repo, 'refs/heads/a b', '', oid(1)), 'repo/7'],
      [updateRef(owner.address, repo, `refs/${'x'.repeat(300)}`, '', oid(1)), 'repo/7'],
      [updateRef(owner.address, repo, 'refs/heads/x.lock', '', oid(1)), 'repo/7'],
      [updateRef(owner.address, repo, 'refs/heads/main', '', 'ABC'), 'repo/8'],
      [updateRef(owner.address, repo, 'refs/heads/main', '', oid(1).toUpperCase()), 'repo/8'],
      [updateRef(owner.address, repo, 'refs/heads/main', '', ''), 'repo/8'],
      [{ typeUrl: '/guts.repo.v1.MsgAnchorCollabEvent', value: { author: owner.address, repo, eventType: 9, itemId: 'a', contentHash: new Uint8Array(32) } }, 'repo/13'],
      [{ typeUrl: '/guts.repo.v1.MsgAnchorCollabEvent', value: { author: owner.address, repo, eventType: 1, itemId: '', contentHash: new Uint8Array(32) } }, 'repo/13'],
      [{ typeUrl: '/guts.repo.v1.MsgAnchorCollabEvent', value: { author: owner.address, repo, eventType: 1, itemId: 'a', contentHash: new Uint8Array(31) } }, 'repo/13'],
    ];
    for (const [msg, code] of cases) {
      const r = await chain.check(await chain.sign(owner, [msg as never]));
      owner.sequence -= 1n;
      expect(`${r.codespace}/${r.code}`, JSON.stringify(msg).slice(0, 120)).toBe(code);
    }
    await syncAccounts(chain, [owner]);
    expect(chain.store.committedRoot).toEqual(before);
  });
});
