/**
 * One gossip stream to a neighbour: varint-length-prefixed `Frame`s in both
 * directions. Reads refuse a length above the frame limit before buffering it; writes
 * go through a bounded queue while the socket drains, dropping repairable frames
 * (payloads, IHAVEs: a GRAFT fetches what was lost) rather than buffering without bound.
 */
import type { Stream } from '@libp2p/interface';
import { LengthPrefixedDecoder } from '@libp2p/utils';

export interface GossipLinkEvents {
  /** One complete frame (not yet decoded). */
  frame(bytes: Uint8Array): void;
  /** The peer declared a frame longer than the limit; the stream has been reset. */
  oversized(): void;
  /** The stream is finished (either side, any reason). */
  closed(): void;
}

export interface GossipLinkLimits {
  readonly maxFrameBytes: number;
  readonly maxQueuedBytes: number;
}

export class GossipLink {
  /** Set when this side closed the stream on purpose (a DISCONNECT or a ban), not a failure. */
  closedByUs = false;
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  private finished = false;
  private closedEmitted = false;
  dropped = 0;

  constructor(
    readonly peer: string,
    readonly stream: Stream,
    readonly remoteAddr: string,
    private readonly limits: GossipLinkLimits,
    private readonly events: GossipLinkEvents,
  ) {
    // a frame may arrive in many muxer chunks; the varint prefix is at most 10 bytes
    const decoder = new LengthPrefixedDecoder({ maxDataLength: limits.maxFrameBytes, maxBufferSize: limits.maxFrameBytes + 16 });
    stream.addEventListener('message', (evt) => {
      if (this.finished) return;
      try {
        for (const frame of decoder.decode(evt.data)) this.events.frame(frame.subarray());
      } catch {
        this.finished = true;
        stream.abort(new Error('gossip frame over the size limit'));
        this.events.oversized();
      }
    });
    stream.addEventListener('close', () => this.finish());
    // the peer closed its side (after a DISCONNECT, or stopping): close ours too
    stream.addEventListener('remoteCloseWrite', () => {
      if (!this.finished) this.stream.close({ signal: AbortSignal.timeout(2_000) }).catch(() => this.stream.abort(new Error('close timed out')));
    });
    stream.addEventListener('drain', () => this.flush());
  }

  get open(): boolean {
    return !this.finished && this.stream.status === 'open' && this.stream.writeStatus === 'writable';
  }

  /** Queues one frame; `droppable` frames are dropped when the queue is full. False = not sent. */
  send(frame: Uint8Array, droppable: boolean): boolean {
    if (!this.open) return false;
    const bytes = lengthPrefixed(frame);
    if (this.queue.length > 0 || this.stream.writableNeedsDrain) {
      if (this.queuedBytes + bytes.length > this.limits.maxQueuedBytes && (droppable || this.queuedBytes + bytes.length > 2 * this.limits.maxQueuedBytes)) {
        this.dropped++;
        if (!droppable) this.abort('peer does not read: control frames over twice the queue limit');
        return false;
      }
      this.queue.push(bytes);
      this.queuedBytes += bytes.length;
      return true;
    }
    try {
      this.stream.send(bytes);
      return true;
    } catch {
      this.abort('stream refused a write');
      return false;
    }
  }

  /** Flushes what is queued, then closes the write side (the peer sees the stream end). */
  close(): void {
    if (this.finished) return;
    this.closedByUs = true;
    const closing = async (): Promise<void> => {
      while (this.queue.length > 0 && this.open) await this.stream.onDrain({ signal: AbortSignal.timeout(2_000) }).then(() => this.flush());
      await this.stream.close({ signal: AbortSignal.timeout(2_000) });
    };
    closing().catch(() => this.stream.abort(new Error('gossip link close timed out')));
  }

  abort(reason: string): void {
    if (this.finished) return;
    this.stream.abort(new Error(reason));
  }

  private flush(): void {
    while (this.queue.length > 0 && this.open && !this.stream.writableNeedsDrain) {
      const b = this.queue.shift()!;
      this.queuedBytes -= b.length;
      try {
        this.stream.send(b);
      } catch {
        this.abort('stream refused a write');
        return;
      }
    }
  }

  private finish(): void {
    this.finished = true;
    this.queue = [];
    this.queuedBytes = 0;
    if (this.closedEmitted) return;
    this.closedEmitted = true;
    this.events.closed();
  }
}

/** Unsigned LEB128 length ‖ frame (the multiformats unsigned-varint used by libp2p). */
export function lengthPrefixed(frame: Uint8Array): Uint8Array {
  let n = frame.length;
  let len = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) len++;
  const out = new Uint8Array(len + frame.length);
  let i = 0;
  while (n >= 0x80) {
    out[i++] = (n & 0x7f) | 0x80;
    n = Math.floor(n / 128);
  }
  out[i++] = n;
  out.set(frame, i);
  return out;
}
