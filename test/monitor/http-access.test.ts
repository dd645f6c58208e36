import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpAccess } from '../../src/monitor/http-access.js';

const TOKEN = 'a-token-of-some-length-42';
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('who may read the page and who may act', () => {
  it('on loopback: reading needs a loopback Host; acting needs the token in the Authorization header', () => {
    const access = new HttpAccess({ host: '127.0.0.1', port: 8780, token: TOKEN });
    expect(access.read(request({ host: '127.0.0.1:8780' }))).toBeUndefined();
    expect(access.read(request({ host: 'localhost:8780' }))).toBeUndefined();
    expect(access.read(request({ host: '[::1]:8780' }))).toBeUndefined();
    expect(access.read(request({ host: 'attacker.example' }))).toMatchObject({ status: 403 });
    expect(access.control(request({ host: '127.0.0.1:8780' }))).toMatchObject({ status: 401 });
    expect(access.control(request({ host: '127.0.0.1:8780', authorization: `Bearer ${TOKEN}` }))).toBeUndefined();
    expect(access.control(request({ host: '127.0.0.1:8780', authorization: `Bearer ${TOKEN}x` }))).toMatchObject({ status: 401 });
    // A cookie never authorises an action: another site's form could send it.
    expect(access.control(request({ host: '127.0.0.1:8780', cookie: `qt_token=${TOKEN}` }))).toMatchObject({ status: 401 });
    expect(access.control(request({ host: 'attacker.example', authorization: `Bearer ${TOKEN}` }))).toMatchObject({ status: 403 });
  });

  it('without a token, nothing can act', () => {
    const access = new HttpAccess({ host: '127.0.0.1', port: 8780 });
    expect(access.control(request({ host: '127.0.0.1:8780', authorization: 'Bearer anything' }))).toMatchObject({ status: 403, message: expect.stringContaining('QT_HTTP_TOKEN') });
    expect(access.loginCookie('anything')).toBeUndefined();
  });

  it('on any other address every request needs the token: the header, or the cookie the page sets from /?token=', () => {
    const access = new HttpAccess({ host: '0.0.0.0', port: 8780, token: TOKEN });
    expect(access.read(request({ host: 'trader.lan:8780' }))).toMatchObject({ status: 401 });
    expect(access.read(request({ host: 'trader.lan:8780', authorization: `Bearer ${TOKEN}` }))).toBeUndefined();
    expect(access.loginCookie('wrong')).toBeUndefined();
    const cookie = access.loginCookie(TOKEN)!;
    expect(cookie).toMatch(/^qt_token=.+; HttpOnly; SameSite=Strict; Path=\/$/);
    expect(access.read(request({ host: 'trader.lan:8780', cookie: `other=1; ${cookie.split(';')[0]}` }))).toBeUndefined();
    expect(access.read(request({ host: 'trader.lan:8780', cookie: 'qt_token=%E0%A4%A' }))).toMatchObject({ status: 401 });
    expect(access.control(request({ host: 'trader.lan:8780', authorization: `Bearer ${TOKEN}` }))).toBeUndefined();
  });
});
