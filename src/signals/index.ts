export { validateSignal, isSignal, parseSignalLines, signalId } from './signal.js';
export type { Signal } from './signal.js';
export type { SignalSource } from './signal-source.js';
export { mergeSources } from './signal-source.js';
export { ReferenceStrategy, confidenceOf } from './reference-strategy.js';
export { JsonLinesSignalSource } from './json-lines-source.js';
