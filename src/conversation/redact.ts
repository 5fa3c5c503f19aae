/**
 * @module Masks personal numbers in text that may be shown to staff or written to a log:
 * 12-digit CCCD numbers, 9-digit CMND numbers and Vietnamese phone numbers.
 */
const CCCD = /(?<!\d)\d{12}(?!\d)/g;
const PHONE = /(?<![\d+])(?:\+?84|0)(?:[\s.-]?\d){9}(?![\d])/g;
const CMND = /(?<!\d)\d{9}(?!\d)/g;

export function maskPersonalNumbers(text: string): string {
  return text
    .replace(CCCD, (m) => `${'*'.repeat(9)}${m.slice(-3)}`)
    .replace(PHONE, (m) => `${m.slice(0, 2)}******${m.replace(/\D/g, '').slice(-2)}`)
    .replace(CMND, '*********');
}
