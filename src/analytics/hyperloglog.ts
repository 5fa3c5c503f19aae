/**
 * @module A HyperLogLog for the memory store (Redis has its own, PFADD/PFCOUNT): 2^14 registers
 * (16 KB, about 0.8 % standard error), linear counting for small sets, so a handful of citizens
 * is counted exactly, as on Redis. Elements are citizen hashes (`citizenHash`, 64 bits in hex),
 * already uniformly spread, so their bits are used as they are.
 */
import { createHash } from 'node:crypto';

const P = 14;
const M = 1 << P;
const ALPHA = 0.7213 / (1 + 1.079 / M);
const INVERSE_POWERS = Float64Array.from({ length: 64 }, (_, v) => 2 ** -v);

export class HyperLogLog {
  readonly registers = new Uint8Array(M);
  /** The last count, until the next change (a day's set is counted once per report, not per row). */
  private counted: number | undefined;

  add(element: string): void {
    const hex = /^[0-9a-f]{16}$/.test(element) ? element : createHash('sha256').update(element).digest('hex').slice(0, 16);
    const high = parseInt(hex.slice(0, 8), 16);
    const low = parseInt(hex.slice(8, 16), 16);
    const index = high >>> (32 - P);
    // The rank: position of the first 1 bit in the 50 bits after the index.
    const rest = ((high << P) >>> 0) >>> 0;
    let rank = rest === 0 ? 32 - P + (low === 0 ? 32 : Math.clz32(low)) + 1 : Math.clz32(rest) + 1;
    if (rank > 51) rank = 51;
    if (rank > (this.registers[index] ?? 0)) {
      this.registers[index] = rank;
      this.counted = undefined;
    }
  }

  /** Adds another set's registers into this one (the union). */
  merge(other: HyperLogLog): void {
    const r = this.registers;
    const o = other.registers;
    for (let i = 0; i < M; i += 1) if (o[i]! > r[i]!) r[i] = o[i]!;
    this.counted = undefined;
  }

  count(): number {
    this.counted ??= this.estimate();
    return this.counted;
  }

  private estimate(): number {
    let sum = 0;
    let zeros = 0;
    for (let i = 0; i < M; i += 1) {
      const v = this.registers[i]!;
      sum += INVERSE_POWERS[v]!;
      if (v === 0) zeros += 1;
    }
    const estimate = (ALPHA * M * M) / sum;
    if (estimate <= 2.5 * M && zeros > 0) return Math.round(M * Math.log(M / zeros));
    return Math.round(estimate);
  }
}
