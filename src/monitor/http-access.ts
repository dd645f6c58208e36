import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { HTTP_TOKEN_ENV, isLoopback, type HttpSettings } from './settings.js';

export interface Refusal {
  readonly status: 401 | 403;
  readonly message: string;
}

const COOKIE = 'qt_token';

/**
 * Who may read and who may act. On loopback anyone on this machine may read, but only when the request
 * names a loopback host (a web page elsewhere cannot read the API through DNS rebinding); bound to any
 * other address, every request needs the token. Control actions always need the token, and only in the
 * Authorization header: a cookie would let another site's form act with the browser's credentials.
 */
export class HttpAccess {
  private readonly exposed: boolean;

  constructor(private readonly settings: HttpSettings) {
    this.exposed = !isLoopback(settings.host);
  }

  read(request: IncomingMessage): Refusal | undefined {
    if (!this.exposed) return this.localHost(request);
    return this.bearer(request) || this.cookie(request) ? undefined : { status: 401, message: `this address needs the token: an Authorization: Bearer header, or open the page once as /?token=<${HTTP_TOKEN_ENV}>` };
  }

  control(request: IncomingMessage): Refusal | undefined {
    if (this.settings.token === undefined) return { status: 403, message: `control actions are disabled: start the daemon with ${HTTP_TOKEN_ENV} set (at least 16 characters) and send it as Authorization: Bearer <token>` };
    const local = this.exposed ? undefined : this.localHost(request);
    if (local !== undefined) return local;
    return this.bearer(request) ? undefined : { status: 401, message: `control actions need the header Authorization: Bearer <${HTTP_TOKEN_ENV}>` };
  }

  /** `/?token=…` with the right token: the cookie that lets a browser read the page on an exposed address. */
  loginCookie(token: string | null): string | undefined {
    if (token === null || !this.matches(token)) return undefined;
    return `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
  }

  private localHost(request: IncomingMessage): Refusal | undefined {
    const host = (request.headers.host ?? '').replace(/:\d+$/, '');
    return isLoopback(host) ? undefined : { status: 403, message: `requests must name this machine (127.0.0.1 or localhost), not '${host}'` };
  }

  private bearer(request: IncomingMessage): boolean {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    return match !== null && this.matches(match[1]!);
  }

  private cookie(request: IncomingMessage): boolean {
    const cookies = (request.headers.cookie ?? '').split(';').map((c) => c.trim());
    const value = cookies.find((c) => c.startsWith(`${COOKIE}=`))?.slice(COOKIE.length + 1);
    if (value === undefined) return false;
    try {
      return this.matches(decodeURIComponent(value));
    } catch {
      return false; // not even URI-encoded: not our cookie
    }
  }

  /** Compared as digests, in constant time. */
  private matches(token: string): boolean {
    if (this.settings.token === undefined) return false;
    const digest = (s: string) => createHash('sha256').update(s).digest();
    return timingSafeEqual(digest(token), digest(this.settings.token));
  }
}
