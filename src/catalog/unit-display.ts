/**
 * @module The unit as citizens read it. While `sample_data` is true the address, the hotlines and
 * the office hours are not the ward's confirmed values, so each of them carries a marker from
 * content/texts.yaml (`unit_sample.*`) wherever a text shows it: the marking happens on the values
 * themselves, so no text that uses `{{unit.…}}` can forget it.
 */
import type { Texts } from '../engine/flow-types.js';
import { render } from '../engine/template.js';
import type { Unit } from './types.js';

/** The text keys that mark a sample value; `{{value}}` is the value. */
export const SAMPLE_MARKER_KEYS = ['unit_sample.hotline', 'unit_sample.address', 'unit_sample.hours'] as const;

/** A copy of `unit` whose sample values say they are samples (the same object when they are not). */
export function displayUnit(unit: Unit, texts: Texts): Unit {
  if (!unit.sample_data) return unit;
  const mark = (key: (typeof SAMPLE_MARKER_KEYS)[number], value: string) => {
    const template = texts.get(key);
    return template ? render(template, { value }).trim() : value;
  };
  const hotline = (value: string) => mark('unit_sample.hotline', value);
  const hours = (value: string) => mark('unit_sample.hours', value);
  return {
    ...unit,
    address: mark('unit_sample.address', unit.address),
    hotlines: { citizen: hotline(unit.hotlines.citizen), ...(unit.hotlines.business ? { business: hotline(unit.hotlines.business) } : {}) },
    office_hours: { days: hours(unit.office_hours.days), hours: hours(unit.office_hours.hours), text: hours(unit.office_hours.text) },
  };
}
