/**
 * The channel contract (channel.case.ts) against every channel in the registry, each with its
 * local fake platform. A channel added to channels/index.ts without a harness fails here.
 */
import { describe, expect, it } from 'vitest';
import { channelDefinitions } from '../../src/channels/index.js';
import { channelContract } from './channel.case.js';
import { harnesses } from './harnesses.js';

describe('the registry', () => {
  it('has a contract harness for every registered channel', () => {
    expect(Object.keys(harnesses).sort()).toEqual(channelDefinitions.map((d) => d.name).sort());
  });
});

for (const definition of channelDefinitions) {
  const harness = harnesses[definition.name];
  if (harness) channelContract(harness);
}
