import { describe, expect, it } from 'vitest';
import { parseDataSpec, symbolFromFileName } from '../../../src/market/candles/index.js';

describe('data specs: which file holds which symbol', () => {
  it('takes an explicit SYMBOL= prefix', () => {
    expect(parseDataSpec('BTCUSDT=path/to/file.csv')).toEqual({ symbol: 'BTCUSDT', path: 'path/to/file.csv' });
  });

  it('upper-cases the symbol, as exchanges spell it', () => {
    expect(parseDataSpec('ethusdt=e.csv').symbol).toBe('ETHUSDT');
  });

  it('takes the symbol from a Binance dump name, with its interval as a timeframe hint', () => {
    expect(parseDataSpec('data/BTCUSDT-1h-2024-01.csv')).toEqual({ symbol: 'BTCUSDT', path: 'data/BTCUSDT-1h-2024-01.csv', timeframeHint: 3_600_000 });
    expect(parseDataSpec('ETHUSDT-15m-2024-01-31.csv')).toMatchObject({ symbol: 'ETHUSDT', timeframeHint: 900_000 });
  });

  it('keeps the interval hint when the symbol is given explicitly', () => {
    expect(parseDataSpec('BTC=dumps/BTCUSDT-4h-2024-01.csv')).toEqual({ symbol: 'BTC', path: 'dumps/BTCUSDT-4h-2024-01.csv', timeframeHint: 14_400_000 });
  });

  it('gives no hint for monthly dumps, whose bars have no fixed length', () => {
    expect(parseDataSpec('BTCUSDT-1M-2024-01.csv')).toEqual({ symbol: 'BTCUSDT', path: 'BTCUSDT-1M-2024-01.csv' });
  });

  it('takes the whole base name otherwise, upper-cased', () => {
    expect(parseDataSpec('ETHUSDT.csv')).toEqual({ symbol: 'ETHUSDT', path: 'ETHUSDT.csv' });
    expect(parseDataSpec('./data/solusdt.CSV')).toEqual({ symbol: 'SOLUSDT', path: './data/solusdt.CSV' });
    expect(symbolFromFileName('C:\\data\\xrpusdt.csv')).toEqual({ symbol: 'XRPUSDT' });
  });

  it('does not mistake an = inside a path for a symbol prefix', () => {
    expect(parseDataSpec('runs/x=1/BNBUSDT.csv')).toEqual({ symbol: 'BNBUSDT', path: 'runs/x=1/BNBUSDT.csv' });
  });

  it('asks for a prefix when the file name cannot be a symbol', () => {
    expect(() => parseDataSpec('data/my prices.csv')).toThrow('cannot take a symbol from the file name "my prices.csv"; write SYMBOL=data/my prices.csv');
  });
});
