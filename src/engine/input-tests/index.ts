/** @module The registry of typed-answer validators used by the `ask` step. */
import { cccdTest } from './cccd.js';
import { choiceTest } from './choice.js';
import { dateTest } from './date.js';
import type { InputTest } from './define-input-test.js';
import { numberTest } from './number.js';
import { phoneTest } from './phone.js';
import { textTest } from './text.js';
import { yesNoTest } from './yes-no.js';

export const inputTests: ReadonlyMap<string, InputTest<any>> = new Map(
  [textTest, numberTest, yesNoTest, phoneTest, cccdTest, dateTest, choiceTest].map((t) => [t.type, t]),
);
