import type { MsgHandler } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import { MsgUnjail, MsgUnjailResponse } from '../../proto/gen/guts/slashing/v1/tx.js';
import type { StakingKeeper } from './expected.js';
import { ErrNoValidatorForAddress, ErrValidatorJailed, ErrValidatorNotJailed, ErrValidatorTombstoned } from './errors.js';

export function msgUnjailHandler(staking: StakingKeeper): MsgHandler<MsgUnjail> {
  return {
    typeUrl: '/guts.slashing.v1.MsgUnjail',
    decode: (b) => MsgUnjail.decode(b),
    encode: (m) => MsgUnjail.encode(m).finish(),
    getSigners: (m) => [m.validatorAddress],
    validateBasic(m) {
      addressBytes(m.validatorAddress, 'validator_address');
    },
    async handle(ctx, m) {
      const v = await staking.validatorState(ctx, m.validatorAddress);
      if (!v) throw ErrNoValidatorForAddress.wrap(`${m.validatorAddress} operates no validator`);
      if (v.tombstoned) throw ErrValidatorTombstoned.wrap(`${m.validatorAddress} double-signed`);
      if (!v.jailed) throw ErrValidatorNotJailed.wrap(`${m.validatorAddress}`);
      const now = ctx.time.seconds;
      if (now < v.jailedUntil) {
        throw ErrValidatorJailed.wrap(`${m.validatorAddress} is jailed until ${v.jailedUntil} (unix seconds of block time); ${v.jailedUntil - now} s to go`);
      }
      await staking.unjail(ctx, m.validatorAddress);
      return { typeUrl: '/guts.slashing.v1.MsgUnjailResponse', value: MsgUnjailResponse.encode({}).finish() };
    },
  };
}
