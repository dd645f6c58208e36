import { SCOPE_FACTS } from '../facts.js';
import type { Scope } from '../rule-set.js';

/**
 * Collects the JavaScript source of a compiled rule set and the values it refers to. Every value that
 * comes from the rule files (fact names, paths, constants, notes, rule names, priorities) is stored in
 * `constants` and appears in the source only as an identifier of ours (`k12`), bound to `constants[12]`
 * when the function is created: the source is made of the compiler's own text alone, so no YAML string,
 * however crafted, can become code. The identifiers are `const` bindings of the enclosing function, which
 * V8 may treat as constants when it optimises the evaluation (a keyed read with a constant name becomes a
 * plain property read).
 */
export class SourceBuilder {
  private readonly values: unknown[] = [];
  private readonly indexOf = new Map<unknown, number>();
  private temps = 0;
  private readonly shared = new Map<string, string>();
  private readonly sharedCode: string[] = [];

  /** The identifier standing for a value (the same value gets the same identifier). */
  constant(value: unknown): string {
    let index = this.indexOf.get(value);
    if (index === undefined) {
      index = this.values.push(value) - 1;
      this.indexOf.set(value, index);
    }
    return `k${index}`;
  }

  /** A fresh local variable for an intermediate value (declared by `declarations`). */
  temp(): string {
    return `t${this.temps++}`;
  }

  /**
   * A local computed once at the start of the evaluation, for an expression that reads facts and cannot
   * throw (a plain member path of a market fact): the same read in several rules, or in the symbol
   * rules for every symbol, is then done once. Reading plain data early changes nothing but the time.
   */
  hoist(key: string, code: () => string): string {
    let local = this.shared.get(key);
    if (local === undefined) {
      local = `h${this.sharedCode.length}`;
      this.sharedCode.push(`${local} = ${code()}`);
      this.shared.set(key, local);
    }
    return local;
  }

  /** `const h0 = ...;`, after the facts' locals and the temporaries are declared. */
  hoistedDeclarations(): string {
    return this.sharedCode.length === 0 ? '' : `const ${this.sharedCode.join(', ')};`;
  }

  get constants(): readonly unknown[] {
    return this.values;
  }

  /** `const k0 = K[0], ...;` for the factory around the evaluation function. */
  constantBindings(): string {
    return this.values.length === 0 ? '' : `const ${this.values.map((_, i) => `k${i} = K[${i}]`).join(', ')};`;
  }

  /** `let t0, t1, ...;` for the evaluation function (or one of its blocks). */
  tempDeclarations(from = 0): string {
    const names = Array.from({ length: this.temps - from }, (_, i) => `t${from + i}`);
    return names.length === 0 ? '' : `let ${names.join(', ')};`;
  }

  get tempCount(): number {
    return this.temps;
  }
}

/**
 * Names of the locals holding each fact of a scope: the compiler's own identifiers, chosen by the fact's
 * position in SCOPE_FACTS (so never the fact name from a rule). `symbol` in symbol scope is not a local:
 * see condition-source.ts.
 */
export function factLocal(scope: Scope, fact: string): string | undefined {
  const index = SCOPE_FACTS[scope].indexOf(fact);
  return index < 0 ? undefined : `f${index}`;
}

/** `const f0 = <from>.regime, ...` reading a scope's facts (but `symbol`) from an object of facts. */
export function factBindings(scope: Scope, from: string): string {
  const names = SCOPE_FACTS[scope].filter((fact) => !(scope === 'symbol' && fact === 'symbol'));
  return names.length === 0 ? '' : `const ${names.map((fact) => `${factLocal(scope, fact)} = ${from}[${JSON.stringify(fact)}]`).join(', ')};`;
}
