/**
 * The channel contract (channel.case.ts) against every channel in the registry, each with its
 * local fake platform. A channel added to channels/index.ts without a harness fails here.
 */
import { describe, expect, it } from 'vitest';
import { channelDefinitions, registerChannels } from '../../src/channels/index.js';
import type { Outbound } from '../../src/engine/messages.js';
import { channelContract } from './channel.case.js';
import { harnesses } from './harnesses.js';

describe('the registry', () => {
  it('has a contract harness for every registered channel', () => {
    expect(Object.keys(harnesses).sort()).toEqual(channelDefinitions.map((d) => d.name).sort());
  });

  it('refuses two channels with the same name, key prefix or webhook path', () => {
    const [web, telegram] = channelDefinitions;
    expect(() => registerChannels([web!, { ...telegram!, name: 'web' }])).toThrow(/name "web"/);
    expect(() => registerChannels([web!, { ...telegram!, name: 'tg2', keyPrefix: 'web' }])).toThrow(/keyPrefix "web"/);
    expect(() => registerChannels([telegram!, { ...telegram!, name: 'tg2', keyPrefix: 'tg2' }])).toThrow(/webhook path "\/webhooks\/telegram"/);
  });
});

// A long answer with choices and links, as the engine gives them.
const LONG: Outbound = {
  text: Array.from({ length: 90 }, (_, i) => `- Bước ${i + 1}: **chuẩn bị** giấy tờ và nộp hồ sơ tại bộ phận một cửa`).join('\n'),
  choices: [{ id: 'online', label: '💻 Nộp trực tuyến' }, { id: 'person', label: '👤 Gặp cán bộ' }],
  links: [{ label: 'Cổng Dịch vụ công', url: 'https://dichvucong.gov.vn/p/home/dvc-trang-chu.html' }],
};

describe('rendering follows each channel\'s capabilities', () => {
  for (const definition of channelDefinitions) {
    const { buttons, textLimit, linkButtons } = definition.capabilities;
    it(`${definition.name}: ${buttons} choices, parts within ${textLimit}, links ${linkButtons ? 'as buttons' : 'written out'}`, () => {
      const parts = definition.render(LONG) as unknown[];
      expect(parts.length).toBeGreaterThan(0);
      if (buttons === 'numbered') {
        // The shared plain-text renderer: numbered lines at the end, markup gone, links written out.
        const texts = parts as string[];
        for (const text of texts) expect(text.length).toBeLessThanOrEqual(textLimit);
        expect(texts.at(-1)).toMatch(/1\. 💻 Nộp trực tuyến\n2\. 👤 Gặp cán bộ/);
        expect(texts.join('\n')).toContain('https://dichvucong.gov.vn/p/home/dvc-trang-chu.html');
        expect(texts.join('\n')).not.toContain('**');
        expect(texts.join('\n').match(/^- Bước \d+/gm)).toHaveLength(90);
      } else {
        const serialised = JSON.stringify(parts);
        expect(serialised).toContain('online');
        expect(serialised).toContain('Nộp trực tuyến');
        if (linkButtons) expect(serialised).toContain('dichvucong.gov.vn');
      }
    });
  }
});

for (const definition of channelDefinitions) {
  const harness = harnesses[definition.name];
  if (harness) channelContract(harness);
}
