/**
 * @module Runs the AnalyticsStore contract against the in-memory store.
 */
import { createMemoryAnalyticsStore } from '../../src/analytics/analytics-store.js';
import { describeAnalyticsStoreContract } from './analytics-store.case.js';

describeAnalyticsStoreContract('memory', async (clock) => createMemoryAnalyticsStore({ now: () => clock.now }));
