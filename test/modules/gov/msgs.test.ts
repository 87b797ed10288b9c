import { describe, expect, it } from 'vitest';
import { CodedError } from '../../../app/errors.js';
import { govMsgHandlers } from '../../../modules/gov/msgs.js';
import type { GovDeps } from '../../../modules/gov/deps.js';
import { EmergencyAction } from '../../../proto/gen/guts/gov/v1/gov.js';
import { content } from './harness.js';

const [submit, vote, veto] = govMsgHandlers({} as GovDeps);
const ADDR = 'guts19rl4cm2hmr8afy4kldpxz3fka4jguq0a6h2up5';

function code(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CodedError);
    return `${(e as CodedError).codespace}/${(e as CodedError).code}`;
  }
  return 'ok';
}

const sub = (c: unknown, title = 't', proposer = ADDR) => code(() => submit!.validateBasic({ proposer, title, description: '', content: c }));

describe('gov messages: stateless checks refuse bad input with registered errors', () => {
  it('MsgSubmitProposal', () => {
    expect(sub(content.spend(ADDR, 5n))).toBe('ok');
    expect(sub(content.spend(ADDR, 5n), '', ADDR)).toBe('gov/16');
    expect(sub(content.spend(ADDR, 5n), 'x'.repeat(141))).toBe('gov/16');
    expect(sub(content.spend(ADDR, 5n), 't', 'cosmos1abc')).toBe('sdk/7');
    expect(sub(undefined)).toBe('gov/4');
    expect(sub({ ...content.spend(ADDR, 5n), parameterChange: content.param('gov', 'x', '1', '2').parameterChange })).toBe('gov/4');
    expect(sub(content.param('Gov', 'quorum_bps', '1', '2'))).toBe('gov/4');
    expect(sub(content.param('gov', 'quorum_bps', '1', '1'))).toBe('gov/4');
    expect(sub(content.param('gov', 'quorum_bps', '1', 'x'.repeat(1025)))).toBe('gov/4');
    expect(sub(content.upgrade('v 2', 10n))).toBe('gov/13');
    expect(sub(content.upgrade('v2', 0n))).toBe('gov/13');
    expect(sub(content.upgrade('v2', 1n << 60n))).toBe('gov/13');
    expect(sub(content.pause('bank'))).toBe('ok');
    expect(sub({ ...content.pause('bank'), emergency: { ...content.pause('bank').emergency!, justification: ' ' } })).toBe('gov/4');
    expect(sub({ ...content.pause('bank'), emergency: { ...content.pause('bank').emergency!, validator: ADDR } })).toBe('gov/4');
    expect(sub({ ...content.pause('bank'), emergency: { ...content.pause('bank').emergency!, action: EmergencyAction.EMERGENCY_ACTION_UNSPECIFIED } })).toBe('gov/4');
    expect(sub(content.jail('guts1notanaddress'))).toBe('sdk/7');
    expect(sub(content.spend(ADDR, 0n))).toBe('sdk/10');
    expect(sub({ ...content.spend(ADDR, 5n), treasurySpend: { ...content.spend(ADDR, 5n).treasurySpend!, purpose: '' } })).toBe('gov/4');
  });

  it('MsgVote and MsgVeto', () => {
    expect(code(() => vote!.validateBasic({ proposalId: 1n, voter: ADDR, option: 4 }))).toBe('ok');
    expect(code(() => vote!.validateBasic({ proposalId: 0n, voter: ADDR, option: 1 }))).toBe('gov/18');
    expect(code(() => vote!.validateBasic({ proposalId: 1n, voter: ADDR, option: 0 }))).toBe('gov/5');
    expect(code(() => vote!.validateBasic({ proposalId: 1n, voter: ADDR, option: 9 }))).toBe('gov/5');
    expect(code(() => vote!.validateBasic({ proposalId: 1n, voter: '', option: 1 }))).toBe('sdk/7');
    expect(code(() => veto!.validateBasic({ proposalId: 0n, validator: ADDR }))).toBe('gov/18');
    expect(code(() => veto!.validateBasic({ proposalId: 2n, validator: 'x' }))).toBe('sdk/7');
  });
});
