import type { MsgGate, MsgHandler } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import { MsgFaucetRequest, MsgFaucetRequestResponse } from '../../proto/gen/guts/faucet/v1/tx.js';
import { ErrInvalidRecipient } from './errors.js';
import { FAUCET_ADDRESS, type FaucetKeeper } from './keeper.js';

export const FAUCET_REQUEST_TYPE_URL = '/guts.faucet.v1.MsgFaucetRequest';

export function faucetRequestHandler(keeper: FaucetKeeper): MsgHandler<MsgFaucetRequest> {
  return {
    typeUrl: FAUCET_REQUEST_TYPE_URL,
    decode: (b) => MsgFaucetRequest.decode(b),
    encode: (m) => MsgFaucetRequest.encode(m).finish(),
    getSigners: (m) => [m.sender],
    validateBasic(m) {
      addressBytes(m.sender, 'sender');
      addressBytes(m.recipient, 'recipient');
      if (m.recipient === FAUCET_ADDRESS) throw ErrInvalidRecipient.wrap('the faucet cannot pay itself');
    },
    async handle(ctx, m) {
      const amount = await keeper.dispense(ctx, m.recipient);
      const p = await keeper.getParams(ctx);
      ctx.events.emit('message', { module: 'faucet', sender: m.sender });
      return {
        typeUrl: `${FAUCET_REQUEST_TYPE_URL}Response`,
        value: MsgFaucetRequestResponse.encode({ amount: { denom: p.amountPerRequest.denom, amount: amount.toString() } }).finish(),
      };
    },
  };
}

/**
 * CheckTx runs no handlers, so without this a request inside the cooldown, past the
 * limit or against an empty faucet would enter the mempool and only fail in the block
 * (fee paid, nothing dispensed). In CheckTx the gate dispenses into the check state, so
 * the refusal is immediate and a second request in the same block is refused too.
 */
export function faucetGate(keeper: FaucetKeeper): MsgGate {
  return async (ctx, msg) => {
    if (msg.typeUrl !== FAUCET_REQUEST_TYPE_URL || (ctx.mode !== 'check' && ctx.mode !== 'recheck')) return;
    await keeper.dispense(ctx, (msg.value as MsgFaucetRequest).recipient);
  };
}
