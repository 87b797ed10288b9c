/** Message handlers of guts.staking.v1 (README "Messages"). */
import type { MsgHandler } from '../../app/chain/module.js';
import { addressBytes } from '../../app/chain/address.js';
import {
  MsgCreateValidator,
  MsgCreateValidatorResponse,
  MsgEditValidator,
  MsgEditValidatorResponse,
  MsgRedelegate,
  MsgRedelegateResponse,
  MsgStake,
  MsgStakeResponse,
  MsgUnstake,
  MsgUnstakeResponse,
  MsgWithdrawRewards,
  MsgWithdrawRewardsResponse,
} from '../../proto/gen/guts/staking/v1/tx.js';
import { BondStatus, type Validator } from '../../proto/gen/guts/staking/v1/staking.js';
import type { BankKeeper } from './expected.js';
import { consensusAddress } from './consensus.js';
import type { StakingKeeper } from './keeper.js';
import { ErrCommissionChange, ErrInvalidCommission, ErrPubKeyExists, ErrSelfRedelegation, ErrSelfStakeTooLow, ErrValidatorExists } from './errors.js';
import { checkCanReceive, checkDenom, queueRedelegate, queueStake, queueUnstake, requireValidator } from './queue.js';
import { withdrawRewards } from './rewards.js';
import { checkCoin, checkCommission, checkPubKey, checkRate, checkText, MAX_DETAILS, MAX_MONIKER, MAX_WEBSITE } from './validate.js';

const PKG = '/guts.staking.v1.';
/** Commission may change once per 24 hours of block time (cosmos-sdk). */
export const COMMISSION_CHANGE_INTERVAL = 86_400n;


function response<T>(name: string, codec: { encode(m: T): { finish(): Uint8Array } }, value: T) {
  return { typeUrl: `${PKG}${name}`, value: codec.encode(value).finish() };
}

export function stakingMsgHandlers(keeper: StakingKeeper, bank: BankKeeper): MsgHandler<any>[] {
  const createValidator: MsgHandler<MsgCreateValidator> = {
    typeUrl: `${PKG}MsgCreateValidator`,
    decode: (b) => MsgCreateValidator.decode(b),
    encode: (m) => MsgCreateValidator.encode(m).finish(),
    getSigners: (m) => [m.operatorAddress],
    validateBasic(m) {
      addressBytes(m.operatorAddress, 'operator_address');
      checkPubKey(m.pubkey);
      checkText('moniker', m.moniker, MAX_MONIKER, true);
      checkText('website', m.website, MAX_WEBSITE);
      checkText('details', m.details, MAX_DETAILS);
      checkCommission(m.commission);
      checkCoin('self_stake', m.selfStake);
    },
    async handle(ctx, m) {
      const params = await keeper.getParams(ctx);
      checkDenom(params, m.selfStake!.denom);
      const amount = BigInt(m.selfStake!.amount);
      if (amount < params.minStake) throw ErrSelfStakeTooLow.wrap(`self-stake ${amount} is below min_stake ${params.minStake}`);
      if (await keeper.getValidator(ctx, m.operatorAddress)) throw ErrValidatorExists.wrap(`${m.operatorAddress} already operates a validator; use MsgEditValidator or MsgStake`);
      const cons = consensusAddress(m.pubkey);
      const other = await keeper.operatorByConsAddress(ctx, cons);
      if (other !== undefined) throw ErrPubKeyExists.wrap(`the key is the consensus key of ${other}`);
      const epoch = await keeper.getEpoch(ctx);
      const v: Validator = {
        operatorAddress: m.operatorAddress,
        consensusPubkey: m.pubkey,
        description: { moniker: m.moniker, website: m.website, details: m.details },
        commission: { rateBp: m.commission!.rateBp, maxRateBp: m.commission!.maxRateBp, maxChangeRateBp: m.commission!.maxChangeRateBp, updateTime: ctx.time.seconds },
        status: BondStatus.BOND_STATUS_UNBONDED,
        jailed: false,
        jailedUntil: 0n,
        tombstoned: false,
        tokens: '0',
        delegatorShares: '0',
        joinedEpoch: epoch.number,
        createdHeight: BigInt(ctx.height),
        unbondingTime: 0n,
        blocksProposed: 0n,
        blocksSigned: 0n,
        blocksMissed: 0n,
        uptimeBp: 10_000,
        accumulatedCommission: '0',
        rewardPerShare: '0',
        rewardCarry: '0',
      };
      await keeper.setValidator(ctx, v);
      await keeper.setConsensusIndex(ctx, cons, m.operatorAddress);
      ctx.events.emit('create_validator', { validator: m.operatorAddress, moniker: m.moniker, self_stake: amount.toString(), commission_rate_bp: String(m.commission!.rateBp) });
      const pendingId = await queueStake(ctx, keeper, bank, params, m.operatorAddress, m.operatorAddress, amount);
      return response('MsgCreateValidatorResponse', MsgCreateValidatorResponse, { pendingId });
    },
  };

  const editValidator: MsgHandler<MsgEditValidator> = {
    typeUrl: `${PKG}MsgEditValidator`,
    decode: (b) => MsgEditValidator.decode(b),
    encode: (m) => MsgEditValidator.encode(m).finish(),
    getSigners: (m) => [m.operatorAddress],
    validateBasic(m) {
      addressBytes(m.operatorAddress, 'operator_address');
      checkText('moniker', m.moniker, MAX_MONIKER, true);
      checkText('website', m.website, MAX_WEBSITE);
      checkText('details', m.details, MAX_DETAILS);
      if (m.commissionRateBp !== undefined) checkRate('commission_rate_bp', m.commissionRateBp);
    },
    async handle(ctx, m) {
      const v = await requireValidator(ctx, keeper, m.operatorAddress);
      const d = v.description ?? { moniker: '', website: '', details: '' };
      if (m.moniker !== undefined) d.moniker = m.moniker;
      if (m.website !== undefined) d.website = m.website;
      if (m.details !== undefined) d.details = m.details;
      v.description = d;
      const c = v.commission!;
      if (m.commissionRateBp !== undefined && m.commissionRateBp !== c.rateBp) {
        const rate = m.commissionRateBp;
        if (rate > c.maxRateBp) throw ErrInvalidCommission.wrap(`rate ${rate} exceeds the validator's max_rate_bp ${c.maxRateBp}`);
        const change = rate > c.rateBp ? rate - c.rateBp : c.rateBp - rate;
        if (change > c.maxChangeRateBp) throw ErrCommissionChange.wrap(`changing ${c.rateBp} → ${rate} is ${change} bp; max_change_rate_bp is ${c.maxChangeRateBp} per day`);
        const next = c.updateTime + COMMISSION_CHANGE_INTERVAL;
        if (ctx.time.seconds < next) throw ErrCommissionChange.wrap(`the rate changed at ${c.updateTime}; the next change is allowed from ${next} (unix seconds)`);
        c.rateBp = rate;
        c.updateTime = ctx.time.seconds;
      }
      await keeper.setValidator(ctx, v);
      ctx.events.emit('edit_validator', { validator: m.operatorAddress, moniker: d.moniker, commission_rate_bp: String(c.rateBp) });
      return response('MsgEditValidatorResponse', MsgEditValidatorResponse, {});
    },
  };

  const stake: MsgHandler<MsgStake> = {
    typeUrl: `${PKG}MsgStake`,
    decode: (b) => MsgStake.decode(b),
    encode: (m) => MsgStake.encode(m).finish(),
    getSigners: (m) => [m.delegatorAddress],
    validateBasic(m) {
      addressBytes(m.delegatorAddress, 'delegator_address');
      addressBytes(m.validatorAddress, 'validator_address');
      checkCoin('amount', m.amount);
    },
    async handle(ctx, m) {
      const params = await keeper.getParams(ctx);
      checkDenom(params, m.amount!.denom);
      const v = await requireValidator(ctx, keeper, m.validatorAddress);
      checkCanReceive(v);
      const pendingId = await queueStake(ctx, keeper, bank, params, m.delegatorAddress, v.operatorAddress, BigInt(m.amount!.amount));
      return response('MsgStakeResponse', MsgStakeResponse, { pendingId });
    },
  };

  const unstake: MsgHandler<MsgUnstake> = {
    typeUrl: `${PKG}MsgUnstake`,
    decode: (b) => MsgUnstake.decode(b),
    encode: (m) => MsgUnstake.encode(m).finish(),
    getSigners: (m) => [m.delegatorAddress],
    validateBasic(m) {
      addressBytes(m.delegatorAddress, 'delegator_address');
      addressBytes(m.validatorAddress, 'validator_address');
      checkCoin('amount', m.amount);
    },
    async handle(ctx, m) {
      const params = await keeper.getParams(ctx);
      checkDenom(params, m.amount!.denom);
      const v = await requireValidator(ctx, keeper, m.validatorAddress);
      const pendingId = await queueUnstake(ctx, keeper, params, m.delegatorAddress, v, BigInt(m.amount!.amount));
      return response('MsgUnstakeResponse', MsgUnstakeResponse, { pendingId });
    },
  };

  const redelegate: MsgHandler<MsgRedelegate> = {
    typeUrl: `${PKG}MsgRedelegate`,
    decode: (b) => MsgRedelegate.decode(b),
    encode: (m) => MsgRedelegate.encode(m).finish(),
    getSigners: (m) => [m.delegatorAddress],
    validateBasic(m) {
      addressBytes(m.delegatorAddress, 'delegator_address');
      addressBytes(m.srcValidatorAddress, 'src_validator_address');
      addressBytes(m.dstValidatorAddress, 'dst_validator_address');
      if (m.srcValidatorAddress === m.dstValidatorAddress) throw ErrSelfRedelegation.wrap(`source and destination are both ${m.srcValidatorAddress}`);
      checkCoin('amount', m.amount);
    },
    async handle(ctx, m) {
      const params = await keeper.getParams(ctx);
      checkDenom(params, m.amount!.denom);
      const src = await requireValidator(ctx, keeper, m.srcValidatorAddress, 'source');
      const dst = await requireValidator(ctx, keeper, m.dstValidatorAddress, 'destination');
      checkCanReceive(dst);
      const pendingId = await queueRedelegate(ctx, keeper, params, m.delegatorAddress, src, dst, BigInt(m.amount!.amount));
      return response('MsgRedelegateResponse', MsgRedelegateResponse, { pendingId });
    },
  };

  const withdraw: MsgHandler<MsgWithdrawRewards> = {
    typeUrl: `${PKG}MsgWithdrawRewards`,
    decode: (b) => MsgWithdrawRewards.decode(b),
    encode: (m) => MsgWithdrawRewards.encode(m).finish(),
    getSigners: (m) => [m.delegatorAddress],
    validateBasic(m) {
      addressBytes(m.delegatorAddress, 'delegator_address');
      if (m.validatorAddress !== '') addressBytes(m.validatorAddress, 'validator_address');
    },
    async handle(ctx, m) {
      if (m.validatorAddress !== '') await requireValidator(ctx, keeper, m.validatorAddress);
      const amount = await withdrawRewards(ctx, keeper, bank, m.delegatorAddress, m.validatorAddress || undefined);
      return response('MsgWithdrawRewardsResponse', MsgWithdrawRewardsResponse, { amount });
    },
  };

  return [createValidator, editValidator, stake, unstake, redelegate, withdraw];
}
