/**
 * `guts devnet`: a single-validator chain `guts-devnet-1` in one command. The first run
 * creates the home (validator key, genesis funding a dev account that operates the
 * validator in staking); later runs resume
 * the same chain from the same home. The CLI adds the dev key to the test keyring.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../consensus/privval.js';
import { assertMnemonic, deriveFromMnemonic, generateMnemonic, hdPath, normalizeMnemonic, addressFromPubkey } from '../keyring/derive.js';
import { ErrHome, initHome, isInitialised } from './home.js';
import { FAUCET_OPERATOR_KEY_FILE } from './config.js';
import { moduleAddress } from '../chain/address.js';
import { startNode, type StartNodeOptions } from './node.js';
import type { GovGenesis } from '../../modules/gov/genesis.js';

export const DEVNET_CHAIN_ID = 'guts-devnet-1';
/** 1,000,000 GUT in the base denom (1 GUT = 10^6 ugut). */
export const DEVNET_FUNDS = 1_000_000_000_000n;
/** The faucet module account holds 100,000 GUT; its operator (fees only) 1,000 GUT. */
export const DEVNET_FAUCET_FUNDS = 100_000_000_000n;
export const DEVNET_FAUCET_OPERATOR_FUNDS = 1_000_000_000n;
/**
 * The devnet validator is a staking validator operated by the dev account, which bonds
 * 10,000 GUT at genesis (on top of DEVNET_FUNDS, which stay spendable): so the dev key can
 * submit gov proposals (an active validator above proposal_threshold and sybil's
 * stake_governance), and a validator that joins with a few hundred GUT holds a small
 * minority of the power, leaving the one-node chain live.
 */
export const DEVNET_SELF_STAKE = 10_000_000_000n;
/** Gov periods short enough to see a proposal through on a devnet (seconds of block time; default 1 day). */
export const DEVNET_GOV_PERIODS = { votingPeriod: 120n, emergencyVotingPeriod: 60n, executionDelay: 60n };

export interface DevnetOptions extends Omit<StartNodeOptions, 'home'> {
  home: string;
  mnemonic?: string;
}

export interface DevAccount {
  address: string;
  mnemonic: string;
}

function devAddress(mnemonic: string): string {
  return addressFromPubkey(deriveFromMnemonic(mnemonic, hdPath(0, 0)).pubkey);
}

async function readDevAccount(home: string): Promise<DevAccount> {
  const file = join(home, 'devnet.json');
  if (!existsSync(file)) throw ErrHome.wrap(`${home} holds a chain that was not created by \`guts devnet\` (no devnet.json); use \`guts start --home ${home}\``);
  const j = JSON.parse(await readFile(file, 'utf8')) as Partial<DevAccount>;
  if (typeof j.address !== 'string' || typeof j.mnemonic !== 'string') throw ErrHome.wrap(`${file} is damaged: expected {address, mnemonic}`);
  return { address: j.address, mnemonic: j.mnemonic };
}

/** Create the devnet home if it is absent; returns the funded dev account. */
export async function prepareDevnet(home: string, mnemonic?: string, configure?: Parameters<typeof initHome>[0]['configure']): Promise<DevAccount> {
  if (mnemonic !== undefined) assertMnemonic(normalizeMnemonic(mnemonic));
  if (isInitialised(home)) {
    const dev = await readDevAccount(home);
    if (mnemonic !== undefined && devAddress(normalizeMnemonic(mnemonic)) !== dev.address) {
      throw ErrHome.wrap(`${home} already holds a devnet funding ${dev.address}; --mnemonic only applies when a devnet is created: choose a new --home or drop --mnemonic`);
    }
    return dev;
  }
  const words = mnemonic !== undefined ? normalizeMnemonic(mnemonic) : generateMnemonic(24);
  const address = devAddress(words);
  // the faucet HTTP front end signs with the dev mnemonic's second key (app/node/faucet-http.ts)
  const operator = deriveFromMnemonic(words, hdPath(0, 1));
  const operatorAddress = addressFromPubkey(operator.pubkey);
  const ugut = (n: bigint) => [{ denom: 'ugut', amount: n.toString() }];
  await initHome({
    home,
    moniker: 'devnet',
    chainId: DEVNET_CHAIN_ID,
    accounts: [
      { address, coins: ugut(DEVNET_FUNDS + DEVNET_SELF_STAKE) },
      { address: operatorAddress, coins: ugut(DEVNET_FAUCET_OPERATOR_FUNDS) },
      { address: moduleAddress('faucet'), coins: ugut(DEVNET_FAUCET_FUNDS) },
    ],
    stakingValidator: { operator: address, selfStake: DEVNET_SELF_STAKE },
    editAppState: (state) => Object.assign((state.gov as GovGenesis).params, DEVNET_GOV_PERIODS),
    configure: (c) => {
      c.rpc.corsAllowedOrigins = ['*'];
      c.api.enabled = true;
      c.api.corsAllowedOrigins = ['*'];
      c.faucet.enabled = true;
      c.instrumentation.prometheus = true;
      // one validator, no peers: the devnet runs no peer-to-peer layer (enable it in config.yaml to join others)
      c.p2p.enabled = false;
      configure?.(c);
    },
  });
  await writeFileAtomic(
    join(home, FAUCET_OPERATOR_KEY_FILE),
    JSON.stringify({ type: 'secp256k1', address: operatorAddress, private_key: Buffer.from(operator.privkey).toString('hex') }, null, 2),
  );
  await writeFileAtomic(join(home, 'devnet.json'), JSON.stringify({ address, mnemonic: words }, null, 2));
  return { address, mnemonic: words };
}

export async function runDevnet(opts: DevnetOptions) {
  const devAccount = await prepareDevnet(opts.home, opts.mnemonic);
  const node = await startNode(opts);
  return { ...node, devAccount };
}
