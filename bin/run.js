#!/usr/bin/env -S node --max-semi-space-size=64
// --max-semi-space-size: a larger young generation for block execution (app/node/heap.ts).
// libp2p 3 needs Promise.withResolvers, which Node 20 lacks: install it before any command loads.
import '../dist/app/polyfill.js';
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
