import { MsgSend, MsgSendResponse } from 'cosmjs-types/cosmos/bank/v1beta1/tx';
import type { MsgHandler } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import { validateCoins } from '../../app/chain/coins.js';
import type { BankKeeper } from './keeper.js';

export function msgSendHandler(keeper: BankKeeper): MsgHandler<MsgSend> {
  return {
    typeUrl: '/cosmos.bank.v1beta1.MsgSend',
    decode: (b) => MsgSend.decode(b),
    encode: (m) => MsgSend.encode(m).finish(),
    getSigners: (m) => [m.fromAddress],
    validateBasic(m) {
      addressBytes(m.fromAddress, 'from_address');
      addressBytes(m.toAddress, 'to_address');
      validateCoins(m.amount, 'amount');
    },
    async handle(ctx, m) {
      await keeper.assertSendEnabled(ctx);
      await keeper.sendCoins(ctx, m.fromAddress, m.toAddress, m.amount);
      ctx.events.emit('message', { module: 'bank', sender: m.fromAddress });
      return { typeUrl: '/cosmos.bank.v1beta1.MsgSendResponse', value: MsgSendResponse.encode({}).finish() };
    },
  };
}
