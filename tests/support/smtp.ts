// A real SMTP peer for mail tests: an smtp-server on 127.0.0.1 (plain SMTP, no STARTTLS) that keeps
// every message it accepts, with SMTP_URL pointing at it for the file's tests; and the text of a
// received message.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, expect } from 'vitest';

export interface ReceivedMail {
  /** The envelope's sender ('' when it had none). */
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpPeer {
  /** Every message accepted, in order; a test may empty it. */
  received: ReceivedMail[];
  port: number;
  /** The SMTP_URL that reaches it, with the login it requires. */
  url: string;
}

export interface SmtpLogin {
  user: string;
  password: string;
}

/**
 * Starts the peer before the file's tests and points SMTP_URL at it; after them, stops it and puts
 * SMTP_URL back. With `login`, it requires that password over plain SMTP, as a relay in a private
 * network would take it; without, it takes mail from anyone.
 */
export function smtpPeer(login?: SmtpLogin): SmtpPeer {
  const peer = { received: [] } as unknown as SmtpPeer;
  const previousUrl = process.env.SMTP_URL;
  let server: SMTPServer;
  beforeAll(async () => {
    server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      logger: false,
      ...(login
        ? {
            allowInsecureAuth: true,
            authMethods: ['PLAIN', 'LOGIN'],
            onAuth(auth, _session, callback) {
              if (auth.username === login.user && auth.password === login.password) callback(null, { user: login.user });
              else callback(new Error('Invalid username or password'));
            },
          }
        : { authOptional: true }),
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          peer.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    peer.port = (server.server.address() as AddressInfo).port;
    const credentials = login ? `${encodeURIComponent(login.user)}:${encodeURIComponent(login.password)}@` : '';
    peer.url = `smtp://${credentials}127.0.0.1:${peer.port}`;
    process.env.SMTP_URL = peer.url;
  });
  afterAll(async () => {
    if (previousUrl === undefined) delete process.env.SMTP_URL;
    else process.env.SMTP_URL = previousUrl;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return peer;
}

/** The text/plain part of a message, quoted-printable decoded. */
export function plainText(raw: string): string {
  const start = raw.search(/Content-Type: text\/plain/i);
  expect(start, 'a text/plain part').toBeGreaterThanOrEqual(0);
  const part = raw.slice(start);
  const bodyStart = part.indexOf('\r\n\r\n') + 4;
  const bodyEnd = part.indexOf('\r\n--', bodyStart);
  const body = part.slice(bodyStart, bodyEnd === -1 ? undefined : bodyEnd);
  if (!/Content-Transfer-Encoding: quoted-printable/i.test(part.slice(0, bodyStart))) return body;
  return Buffer.from(
    body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}
