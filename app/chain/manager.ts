/**
 * Routes messages by type URL and queries by gRPC path, and runs the modules' genesis
 * and block hooks in registration order (cosmos-sdk `module.Manager`).
 */
import type { AppModule, MsgGate, MsgHandler, ParamSpace, QueryRoute } from './module.js';
import type { ValidatorUpdate } from 'cosmjs-types/tendermint/abci/types';
import type { Context } from './context.js';

export class ModuleManager {
  private readonly msgRoutes = new Map<string, MsgHandler>();
  private readonly queryRoutes = new Map<string, QueryRoute>();

  constructor(readonly modules: AppModule[]) {
    for (const m of modules) {
      for (const h of m.msgs ?? []) {
        if (this.msgRoutes.has(h.typeUrl)) throw new Error(`message ${h.typeUrl} is routed twice`);
        this.msgRoutes.set(h.typeUrl, h);
      }
      for (const q of m.queries ?? []) {
        if (this.queryRoutes.has(q.path)) throw new Error(`query ${q.path} is routed twice`);
        this.queryRoutes.set(q.path, q);
      }
    }
  }

  /** Gates of every module, in module order. */
  get msgGates(): MsgGate[] {
    return this.modules.flatMap((m) => m.msgGates ?? []);
  }

  paramSpace(module: string): ParamSpace | undefined {
    return this.modules.find((m) => m.name === module)?.params;
  }

  msgHandler(typeUrl: string): MsgHandler | undefined {
    return this.msgRoutes.get(typeUrl);
  }

  queryRoute(path: string): QueryRoute | undefined {
    return this.queryRoutes.get(path);
  }

  async initGenesis(ctx: Context, appState: Record<string, unknown>): Promise<void> {
    for (const m of this.modules) await m.initGenesis(ctx, appState[m.name]);
  }

  async exportGenesis(ctx: Context): Promise<Record<string, unknown>> {
    const out: Record<string, unknown> = {};
    for (const m of this.modules) out[m.name] = await m.exportGenesis(ctx);
    return out;
  }

  async beginBlock(ctx: Context): Promise<void> {
    for (const m of this.modules) if (m.beginBlock) await m.beginBlock(ctx);
  }

  /** Runs every EndBlock; validator updates are concatenated in module order. */
  async endBlock(ctx: Context): Promise<ValidatorUpdate[]> {
    const updates: ValidatorUpdate[] = [];
    for (const m of this.modules) {
      if (!m.endBlock) continue;
      const u = await m.endBlock(ctx);
      if (u) updates.push(...u);
    }
    return updates;
  }
}
