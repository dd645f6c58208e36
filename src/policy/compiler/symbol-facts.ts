import type { Facts } from '../facts.js';
import type { SymbolStats } from '../../state/market-state.js';

/**
 * The facts of symbol-scope rules for one symbol after another: the market facts, plus `symbol`, the
 * object symbolFacts() builds (`{name, ...stats}`). That object is built only when something needs it
 * whole: a field of it is read straight from the symbol's stats when that gives the same value, which
 * it does for a plain record (an object whose prototype is Object.prototype, as JSON, YAML and object
 * literals make; their properties are enumerable, so the spread copies each of them).
 */
export class SymbolFacts {
  readonly regime: unknown;
  readonly volatility: unknown;
  readonly risk: unknown;
  readonly symbols: unknown;
  readonly profile: unknown;
  name = '';
  stats: SymbolStats | undefined;
  /** True when `stats` is a plain record, so `symbol[p]` is `stats[p]` for any p but `name`. */
  plain = false;
  private built: Record<string, unknown> | undefined;

  constructor(market: Facts) {
    this.regime = market.regime;
    this.volatility = market.volatility;
    this.risk = market.risk;
    this.symbols = market.symbols;
    this.profile = market.profile;
  }

  next(name: string, stats: SymbolStats | undefined): void {
    this.name = name;
    this.stats = stats;
    this.plain = typeof stats === 'object' && stats !== null && Object.getPrototypeOf(stats) === Object.prototype;
    this.built = undefined;
  }

  get symbol(): Record<string, unknown> {
    return (this.built ??= { name: this.name, ...this.stats });
  }

  /** `symbol.name`: the stats' own `name` if they have one (the spread puts it over the symbol's). */
  symbolName(): unknown {
    return this.plain && !Object.hasOwn(this.stats!, 'name') ? this.name : this.symbol.name;
  }

  /** `symbol[field]` for a field that is neither `name` nor a property of Object.prototype. */
  symbolField(field: string): unknown {
    return this.plain ? (this.stats as unknown as Record<string, unknown>)[field] : this.symbol[field];
  }
}
