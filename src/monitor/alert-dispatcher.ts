import type { Logger } from '../logger.js';
import type { AlertSettings } from './settings.js';
import { WebhookSender, type Alert } from './webhook-sender.js';

/** Hands each alert to the webhooks that want its event; never waits for a delivery. */
export class AlertDispatcher {
  private readonly senders: WebhookSender[];

  constructor(settings: AlertSettings, daemon: string, logger: Logger) {
    this.senders = settings.webhooks.map((hook) => new WebhookSender(hook, settings, daemon, logger));
  }

  emit(alert: Alert): void {
    for (const sender of this.senders) if (sender.hook.events.has(alert.event)) sender.send(alert);
  }

  /** Gives what is queued (the "stopped" alert) up to `ms` to go out. */
  async close(ms: number): Promise<void> {
    await Promise.all(this.senders.map((s) => s.close(ms)));
  }

  status(): { name: string; delivered: number; failed: number }[] {
    return this.senders.map((s) => ({ name: s.hook.name, delivered: s.delivered, failed: s.failed }));
  }
}
