import { setTimeout as wait } from 'node:timers/promises';
import type { Position } from '../broker/model.js';
import type { ControlAction } from '../store/index.js';
import type { OperatorControls } from './operator-controls.js';

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** How long a close or reload request waits for the loop to run it before answering 202 (still queued). */
const WAIT_MS = 20_000;

export const CONTROL_ACTIONS = ['pause', 'resume', 'close', 'close-all', 'reload'] as const;

/**
 * The control endpoints' bodies, checked: every action needs a `reason`; closing needs a confirmation
 * typed out (`"confirm": "CLOSE BTCUSDT"`, `"confirm": "CLOSE ALL"`), so neither a stray request nor a
 * wrong symbol closes anything.
 *
 *   POST /api/control/pause      {"reason": "..."}
 *   POST /api/control/resume     {"reason": "..."}
 *   POST /api/control/close      {"reason": "...", "symbol": "BTCUSDT" | "position_id": "...", "confirm": "CLOSE BTCUSDT"}
 *   POST /api/control/close-all  {"reason": "...", "confirm": "CLOSE ALL"}
 *   POST /api/control/reload     {"reason": "..."}
 */
export async function control(action: string, body: unknown, by: string, controls: OperatorControls, open: () => readonly Position[]): Promise<Reply> {
  if (!(CONTROL_ACTIONS as readonly string[]).includes(action)) return bad(404, `unknown control action '${action}' (one of: ${CONTROL_ACTIONS.join(', ')})`);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad(400, 'send a JSON object, e.g. {"reason": "why"}');
  const fields = body as Record<string, unknown>;
  const reason = typeof fields.reason === 'string' ? fields.reason.trim() : '';
  if (reason === '' || reason.length > 500) return bad(400, '"reason": say why, in 1 to 500 characters (it is recorded with the action)');
  const request = { reason, by };
  switch (action) {
    case 'pause':
      return done(controls.pause(request));
    case 'resume':
      return done(controls.resume(request));
    case 'reload':
      return waited(controls.reload(request));
    case 'close-all':
      if (fields.confirm !== 'CLOSE ALL') return bad(400, '"confirm": "CLOSE ALL" is required to close every open position');
      return waited(controls.close(request));
    default: {
      const positions = open();
      const position = typeof fields.position_id === 'string' ? positions.find((p) => p.id === fields.position_id) : typeof fields.symbol === 'string' ? positions.find((p) => p.symbol === String(fields.symbol).toUpperCase()) : undefined;
      if (fields.position_id === undefined && fields.symbol === undefined) return bad(400, 'name the position: "symbol": "BTCUSDT" or "position_id": "..."');
      if (position === undefined) return bad(404, `no open position ${String(fields.position_id ?? fields.symbol)} (open: ${positions.map((p) => `${p.symbol} ${p.id}`).join(', ') || 'none'})`);
      if (fields.confirm !== `CLOSE ${position.symbol}`) return bad(400, `"confirm": "CLOSE ${position.symbol}" is required to close this position`);
      return waited(controls.close(request, position.id));
    }
  }
}

function done(action: ControlAction): Reply {
  return { status: 200, body: { action } };
}

async function waited(pending: Promise<ControlAction>): Promise<Reply> {
  const giveUp = new AbortController();
  const late = wait(WAIT_MS, undefined, { signal: giveUp.signal }).catch(() => undefined);
  const action = await Promise.race([pending, late]);
  giveUp.abort();
  if (action === undefined) return { status: 202, body: { queued: true, note: 'queued for the moment between cycles; GET /api/controls shows when it ran' } };
  return { status: action.status === 'failed' ? 500 : 200, body: { action } };
}

function bad(status: number, error: string): Reply {
  return { status, body: { error } };
}
