import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputError } from '../../src/config/problem.js';
import { silentLogger } from '../../src/logger.js';
import { alertSettings, httpSettings } from '../../src/monitor/settings.js';
import { payload, WebhookSender, type Alert } from '../../src/monitor/webhook-sender.js';
import { captureLogger } from '../support/log-capture.js';
import { AlertReceiver } from '../support/alert-receiver.js';

const FILE = 'rules/execution.yaml';
const alert = (title: string, event: Alert['event'] = 'gate'): Alert => ({ event, severity: 'warning', title, text: 'detail', time: Date.parse('2024-05-01T12:00:00Z'), data: { n: 1 } });

describe('alert settings from rules/execution.yaml', () => {
  it('fills in the defaults, takes ${NAME} from the environment and names the webhook by its host', () => {
    const settings = alertSettings({ webhooks: [{ url: 'https://api.telegram.org/bot${TG_TOKEN}/sendMessage', format: 'telegram', chat_id: '${TG_CHAT}', events: ['gate', 'daemon'] }] }, { TG_TOKEN: '123:abc', TG_CHAT: '-100200' }, FILE);
    expect(settings).toMatchObject({ maxPerMinute: 20, timeoutMs: 5000, retry: { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 } });
    expect(settings.webhooks).toMatchObject([{ name: 'api.telegram.org', url: 'https://api.telegram.org/bot123:abc/sendMessage', format: 'telegram', chatId: '-100200' }]);
    expect([...settings.webhooks[0]!.events]).toEqual(['gate', 'daemon']);
    expect([...alertSettings({ webhooks: [{ url: 'http://127.0.0.1:9/x' }] }, {}, FILE).webhooks[0]!.events]).toHaveLength(7);
    expect(alertSettings(undefined, {}, FILE).webhooks).toEqual([]);
  });

  it('refuses a variable that is not set, naming the file and the field', () => {
    expect(() => alertSettings({ webhooks: [{ url: 'http://a/' }, { url: 'https://x/${MISSING_TOKEN}' }] }, {}, FILE))
      .toThrow(new InputError('rules/execution.yaml: alerts.webhooks[1].url uses ${MISSING_TOKEN}, which is not set in the environment'));
    expect(() => alertSettings({ webhooks: [{ url: '${WHOLE}' }] }, { WHOLE: 'ftp://host/' }, FILE)).toThrow(/alerts\.webhooks\[0\]\.url must be http/);
  });
});

describe('where the status page listens', () => {
  it('loopback needs nothing; any other address needs a token of at least 16 characters', () => {
    expect(httpSettings({ host: '127.0.0.1', port: 8780 }, {})).toEqual({ host: '127.0.0.1', port: 8780 });
    expect(() => httpSettings({ host: '0.0.0.0', port: 8780 }, {})).toThrow(/--http-host 0\.0\.0\.0 exposes the status page .* set QT_HTTP_TOKEN/);
    expect(() => httpSettings({ host: '127.0.0.1', port: 8780 }, { QT_HTTP_TOKEN: 'short' })).toThrow(/at least 16 characters/);
    expect(httpSettings({ host: '0.0.0.0', port: 0 }, { QT_HTTP_TOKEN: 'x'.repeat(16) })).toEqual({ host: '0.0.0.0', port: 0, token: 'x'.repeat(16) });
  });
});

describe('webhook delivery', () => {
  let receiver: AlertReceiver | undefined;
  let sender: WebhookSender | undefined;
  afterEach(async () => {
    await sender?.close(0);
    await receiver?.stop();
  });

  const start = async (overrides: { maxPerMinute?: number; attempts?: number; timeoutMs?: number; format?: 'json' | 'telegram' } = {}, logger = silentLogger()) => {
    receiver = await AlertReceiver.start();
    const settings = alertSettings({
      webhooks: [{ url: receiver.url, name: 'ops', format: overrides.format ?? 'json', ...(overrides.format === 'telegram' ? { chat_id: 42 } : {}) }],
      max_per_minute: overrides.maxPerMinute ?? 600, timeout_ms: overrides.timeoutMs ?? 2000, retry: { attempts: overrides.attempts ?? 3, base_delay_ms: 20, max_delay_ms: 50 },
    }, {}, FILE);
    sender = new WebhookSender(settings.webhooks[0]!, settings, 'PAPER BTCUSDT on host (s.sqlite)', logger);
    return receiver;
  };

  it('posts generic JSON, or the body of Telegram\'s sendMessage', async () => {
    const json = await start();
    sender!.send(alert('Trading gate CLOSED'));
    await vi.waitFor(() => expect(json.bodies()).toHaveLength(1));
    expect(json.bodies()[0]).toEqual({
      source: 'quantum-trader', event: 'gate', severity: 'warning', title: 'Trading gate CLOSED', text: 'detail', time: '2024-05-01T12:00:00.000Z',
      daemon: 'PAPER BTCUSDT on host (s.sqlite)', data: { n: 1 },
    });
    await sender!.close(0);
    await json.stop();
    const telegram = await start({ format: 'telegram' });
    sender!.send(alert('Trading gate CLOSED'));
    await vi.waitFor(() => expect(telegram.bodies()).toHaveLength(1));
    expect(telegram.bodies()[0]).toEqual({ chat_id: 42, text: '⚠️ Trading gate CLOSED\ndetail\n— PAPER BTCUSDT on host (s.sqlite)', disable_web_page_preview: true });
  });

  it('retries a 5xx or a 429 and gives up on other refusals, without retrying them', async () => {
    const { logger, records } = captureLogger();
    const r = await start({ attempts: 3 }, logger);
    r.answers = [503, 429, 200, 400];
    sender!.send(alert('first'));
    sender!.send(alert('second'));
    await vi.waitFor(() => expect(sender!.failed).toBe(1));
    expect(r.bodies().map((b) => b.title)).toEqual(['first', 'first', 'first', 'second']);
    expect(sender!.delivered).toBe(1);
    expect(records.filter((l) => l.level === 50).map((l) => l.msg)).toEqual(['alert to ops given up']);
    // The URL may carry a bot token: logs name the webhook, never the URL.
    expect(JSON.stringify(records)).not.toContain(r.url);
  });

  it('sends a burst of a few at once, then no more than max_per_minute', async () => {
    const began = Date.now();
    const r = await start({ maxPerMinute: 600 }); // 10 a second: one every 100 ms once the burst of 5 is spent
    for (let i = 0; i < 8; i++) sender!.send(alert(`alert ${i}`));
    await vi.waitFor(() => expect(r.received).toHaveLength(8), { timeout: 5000 });
    expect(r.bodies().map((b) => b.title)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `alert ${i}`));
    // The 6th, 7th and 8th each waited for a token: the 8th cannot have left before 300 ms (less the clock's rounding).
    expect(r.received[7]!.at - began).toBeGreaterThanOrEqual(290);
  });

  it('never makes the caller wait: a receiver that does not answer only delays its own queue', async () => {
    const r = await start({ timeoutMs: 200, attempts: 1 });
    r.answers = [0];
    sender!.send(alert('into the void'));
    sender!.send(alert('next'));
    expect(r.received).toEqual([]); // send only queued: the caller never waits for a delivery
    await vi.waitFor(() => expect(r.bodies().map((b) => b.title)).toEqual(['into the void', 'next']), { timeout: 3000 });
    await vi.waitFor(() => expect(sender!.delivered).toBe(1));
    expect(sender!.failed).toBe(1);
  });

  it('says how many alerts the rate limit dropped', () => {
    const hook = alertSettings({ webhooks: [{ url: 'http://127.0.0.1:9/' }] }, {}, FILE).webhooks[0]!;
    expect(payload(hook, alert('x'), 'd', 3)).toMatchObject({ dropped: 3 });
    const telegram = { ...hook, format: 'telegram' as const, chatId: 1 };
    expect(payload(telegram, alert('x'), 'd', 1).text).toContain('(1 earlier alert dropped by the rate limit)');
  });
});
