/**
 * The validator side of the host: the validator set's consensus keys, signed heartbeats
 * (they bind a consensus address to a peer id), the partition detector fed by verified
 * heartbeats and votes, and the priority group (the validators' peer ids) that
 * consensus messages are pushed to directly.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import { verifyEd25519 } from '../../consensus/ed25519.js';
import { heartbeatSignBytes, type Heartbeat } from '../messages/envelope.js';
import { PartitionDetector, type PartitionDetectorConfig, type PartitionEvent, type PartitionFigures } from '../partition/detector.js';
import type { HeartbeatSigner, ValidatorEntry, Verdict } from './types.js';

export class ValidatorWatch {
  readonly detector: PartitionDetector;
  private keys = new Map<string, Uint8Array>();
  /** Consensus address (hex) → the peer id its latest verified heartbeat named. */
  private readonly peerOf = new Map<string, string>();
  private self: string | undefined;

  constructor(
    private readonly chainId: string,
    config: Partial<PartitionDetectorConfig> = {},
  ) {
    this.detector = new PartitionDetector(config);
  }

  setValidators(vals: readonly ValidatorEntry[], now: number): void {
    this.detector.setValidators(
      vals.map((v) => ({ address: bytesToHex(v.address), power: v.power })),
      now,
    );
    this.keys = new Map(vals.filter((v) => v.power > 0n).map((v) => [bytesToHex(v.address), v.pubKey]));
    for (const a of this.peerOf.keys()) if (!this.keys.has(a)) this.peerOf.delete(a);
  }

  setSelf(address: Uint8Array | undefined): void {
    this.self = address ? bytesToHex(address) : undefined;
  }

  heard(address: Uint8Array | string, now: number): void {
    this.detector.heard(typeof address === 'string' ? address : bytesToHex(address), now);
  }

  /**
   * A heartbeat from a validator of the current set with a good signature is accepted;
   * a bad signature is rejected (it costs the sender); an unknown address is ignored
   * (the sender's set may be newer than ours).
   */
  verify(hb: Heartbeat): Verdict {
    const key = this.keys.get(bytesToHex(hb.validatorAddress));
    if (!key) return 'ignore';
    const { signature, ...doc } = hb;
    return verifyEd25519(signature, heartbeatSignBytes(this.chainId, doc), key) ? 'accept' : 'reject';
  }

  /** Records a verified heartbeat; true when it named a new peer for its validator. */
  onHeartbeat(hb: Heartbeat, now: number): boolean {
    const addr = bytesToHex(hb.validatorAddress);
    this.detector.heard(addr, now);
    if (this.peerOf.get(addr) === hb.peerId) return false;
    this.peerOf.set(addr, hb.peerId);
    return true;
  }

  /** Peer ids of the validators heard from (this node's own excluded by the caller). */
  validatorPeers(): string[] {
    return [...new Set(this.peerOf.values())];
  }

  check(now: number): PartitionEvent | undefined {
    if (this.self) this.detector.heard(this.self, now);
    return this.detector.check(now);
  }

  figures(now: number): PartitionFigures & { readonly partitioned: boolean } {
    if (this.self) this.detector.heard(this.self, now);
    return { ...this.detector.figures(now), partitioned: this.detector.isPartitioned() };
  }

  /** A signed heartbeat for `peerId` at `height`, stamped `now`. */
  static sign(chainId: string, signer: HeartbeatSigner, peerId: string, height: bigint, now: number): Heartbeat {
    const doc = { validatorAddress: signer.address, peerId, height, timestampMs: BigInt(now) };
    return { ...doc, signature: signer.sign(heartbeatSignBytes(chainId, doc)) };
  }
}
