/**
 * An eclipse attacker for the simulator: many addresses in one /16 (regions.ts,
 * `attackerIp`), all trying to take a victim's views. Each sybil keeps sending JOIN and
 * high-priority NEIGHBOR (which HyParView must accept by evicting someone), accepts
 * every request, answers nothing else, black-holes broadcasts, and once it is a
 * neighbour floods the victim with shuffles listing other sybils to poison its passive
 * view (from which the victim would later refill its active view).
 */
import type { PeerInfo } from '../types.js';
import type { WireMessage } from '../wire.js';
import type { SimBehaviour, Simulator } from './simulator.js';

export class Sybil implements SimBehaviour {
  /** The victim currently counts this sybil as a neighbour (as far as the sybil knows). */
  inView = false;

  constructor(
    readonly victim: number,
    /** The other sybils' descriptors, for shuffle poisoning. */
    readonly crew: () => PeerInfo[],
  ) {}

  receive(sim: Simulator, self: number, from: number, msg: WireMessage): void {
    const me = sim.nodes[self].info;
    switch (msg.type) {
      case 'join':
      case 'neighbor':
        sim.send(self, from, { type: 'neighborReply', peer: me, accepted: true });
        if (from === this.victim) this.inView = true;
        break;
      case 'neighborReply':
        if (from === this.victim) this.inView = msg.accepted;
        break;
      case 'disconnect':
        if (from === this.victim) this.inView = false;
        break;
      default:
        break; // gossip, IHAVE, GRAFT, shuffles: dropped (black hole)
    }
  }

  /** One round of the attack: push in, or poison from inside. */
  act(sim: Simulator, self: number, round: number): void {
    const me = sim.nodes[self].info;
    if (!this.inView) {
      sim.send(self, this.victim, round % 2 === 0 ? { type: 'join', peer: me } : { type: 'neighbor', peer: me, priority: 'high' });
      return;
    }
    const all = this.crew().filter((p) => p.id !== me.id);
    const crew = Array.from({ length: Math.min(8, all.length) }, (_, k) => all[(round * 8 + k) % all.length]);
    sim.send(self, this.victim, { type: 'shuffle', origin: me, ttl: 1, peers: crew, nonce: round });
  }
}
