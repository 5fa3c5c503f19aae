/**
 * @module Runs the SessionStore contract against the in-memory store.
 */
import { createMemorySessionStore } from '../../src/store/memory-session-store.js';
import { describeSessionStoreContract } from './session-store.case.js';

describeSessionStoreContract('memory', async (options) => createMemorySessionStore(options));
