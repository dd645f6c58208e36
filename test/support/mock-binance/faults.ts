/**
 * What can go wrong between a client and the exchange, as seen by the exchange. "Before" faults leave
 * the request unprocessed; "after" faults process it and then fail to tell the client.
 *
 * - `timeout`: never answered, never processed.
 * - `rate-limit`: 429 with Retry-After, not processed.
 * - `unavailable`: 503 (-1001 "Internal error; unable to process your request"), not processed.
 * - `unavailable-after`: processed, then answered 503 (-1007 "execution status unknown").
 * - `lost-response`: processed, never answered.
 * - `late`: never answered in time; processed `delayMs` later if the request is then still inside its
 *   recvWindow (Binance's rule), else dropped. The case that makes "not found" after a timeout mean
 *   nothing until the recvWindow has passed.
 * - `reject`: 400 with the given Binance code.
 */
export type FaultKind = 'timeout' | 'rate-limit' | 'unavailable' | 'unavailable-after' | 'lost-response' | 'late' | 'reject';

export interface Fault {
  /** Which requests: matched against `METHOD /path`, e.g. /POST \/fapi\/v1\/order/; absent: any. */
  readonly match?: RegExp;
  readonly kind: FaultKind;
  /** How many matching requests fail (default 1). */
  readonly times?: number;
  /** For `reject`: Binance error code and message. */
  readonly code?: number;
  readonly msg?: string;
  /** For `late`: how long after arrival the request is processed. */
  readonly delayMs?: number;
}

/** Random faults at given rates (each a probability per matching request). */
export interface FaultRates {
  readonly match?: RegExp;
  readonly rateLimit?: number;
  readonly unavailable?: number;
  readonly unavailableAfter?: number;
  readonly lostResponse?: number;
  readonly late?: number;
  readonly lateDelayMs?: number;
}

export class FaultPlan {
  private scripted: (Fault & { left: number })[] = [];
  private rates: FaultRates | undefined;
  private random: () => number = Math.random;
  /** How many of each kind were applied. */
  readonly applied: Record<FaultKind, number> = { timeout: 0, 'rate-limit': 0, unavailable: 0, 'unavailable-after': 0, 'lost-response': 0, late: 0, reject: 0 };

  inject(fault: Fault): void {
    this.scripted.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Random faults from now on (seeded, so a campaign can be replayed); `undefined` stops them. */
  chaos(rates: FaultRates | undefined, random: () => number = Math.random): void {
    this.rates = rates;
    this.random = random;
  }

  clear(): void {
    this.scripted = [];
    this.rates = undefined;
  }

  /** The fault for this request, if any (consumed). */
  next(route: string): Fault | undefined {
    const scripted = this.scripted.find((f) => f.left > 0 && (f.match === undefined || f.match.test(route)));
    if (scripted !== undefined) {
      scripted.left--;
      this.applied[scripted.kind]++;
      return scripted;
    }
    const r = this.rates;
    if (r === undefined || (r.match !== undefined && !r.match.test(route))) return undefined;
    let x = this.random();
    const pick = (p: number | undefined, kind: FaultKind): Fault | undefined => {
      if (p === undefined || p <= 0) return undefined;
      if (x < p) {
        this.applied[kind]++;
        return { kind, ...(kind === 'late' ? { delayMs: r.lateDelayMs ?? 500 } : {}) };
      }
      x -= p;
      return undefined;
    };
    return pick(r.rateLimit, 'rate-limit') ?? pick(r.unavailable, 'unavailable') ?? pick(r.unavailableAfter, 'unavailable-after') ?? pick(r.lostResponse, 'lost-response') ?? pick(r.late, 'late');
  }
}

/** mulberry32: a small seeded generator, so a chaos campaign is replayable from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
