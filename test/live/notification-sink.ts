import * as http from 'http';
import { AddressInfo } from 'net';

/*
 * Stands in for Slack and PagerDuty in the live alert-pipeline test: an HTTP
 * server on 127.0.0.1 that records every notification Alertmanager posts,
 * with the path it arrived on, and answers as the real APIs do on success
 * (Slack incoming webhook: 200 "ok"; PagerDuty Events API v2: 202).
 *
 * Paths:
 * - `/slack/<receiver>`: the Slack incoming-webhook URL written into a Slack
 *   receiver's credential file (`api_url_file`), one path per receiver;
 * - `/pagerduty/v2/enqueue`: the PagerDuty Events API v2 endpoint (Alertmanager's
 *   `global.pagerduty_url`); receivers are told apart by their routing key.
 */

/** One notification, normalised from the Slack or PagerDuty payload. */
export interface Notification {
  /** Milliseconds since the epoch when it arrived. */
  readonly at: number;
  readonly path: string;
  readonly kind: 'slack' | 'pagerduty';
  /** The Alertmanager receiver named in the notification's link (`#/alerts?receiver=<name>`). */
  readonly receiver: string;
  readonly status: 'firing' | 'resolved';
  /** The first group label value of Alertmanager's default title: the alert name (group_by starts with alertname). */
  readonly alertname: string;
  /** Alertmanager's default title, e.g. `[FIRING:1] ServiceHighErrorRate in-cluster shop (checkout warning)`. */
  readonly title: string;
  /** The parsed JSON body. */
  readonly body: any;
}

export const PAGERDUTY_PATH = '/pagerduty/v2/enqueue';

function receiverOfLink(link: unknown): string {
  const m = /[?&]receiver=([^&]+)/.exec(String(link ?? ''));
  return m ? decodeURIComponent(m[1]) : '';
}

function parseTitle(title: string): { status: 'firing' | 'resolved'; alertname: string } | undefined {
  const m = /^\[(FIRING|RESOLVED)(?::\d+)?\] (\S+)/.exec(title);
  if (!m) return undefined;
  return { status: m[1] === 'FIRING' ? 'firing' : 'resolved', alertname: m[2] };
}

/** Normalise a payload; throws on one that is neither Slack's nor PagerDuty v2's. */
export function normalise(path: string, body: any, at: number): Notification {
  if (path.startsWith('/slack/')) {
    const attachment = body?.attachments?.[0];
    const title = String(attachment?.title ?? '');
    const parsed = parseTitle(title);
    if (!parsed) throw new Error(`Slack payload without an Alertmanager title: ${JSON.stringify(body)}`);
    return { at, path, kind: 'slack', receiver: receiverOfLink(attachment?.title_link), ...parsed, title, body };
  }
  if (path === PAGERDUTY_PATH) {
    const title = String(body?.payload?.summary ?? '');
    const parsed = parseTitle(title);
    if (!parsed) throw new Error(`PagerDuty payload without an Alertmanager summary: ${JSON.stringify(body)}`);
    const action = body?.event_action;
    const status = action === 'trigger' ? 'firing' : action === 'resolve' ? 'resolved' : undefined;
    if (status === undefined) throw new Error(`PagerDuty event_action ${JSON.stringify(action)}`);
    if (status !== parsed.status) throw new Error(`PagerDuty event_action ${action} but summary "${title}"`);
    return { at, path, kind: 'pagerduty', receiver: receiverOfLink(body?.client_url), status, alertname: parsed.alertname, title, body };
  }
  throw new Error(`notification on unexpected path ${path}`);
}

export class NotificationSink {
  readonly notifications: Notification[] = [];
  /** Requests that could not be understood (reported by the test). */
  readonly problems: string[] = [];
  private readonly server: http.Server;
  private port = 0;

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = Date.now();
        const path = (req.url ?? '').split('?')[0];
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          if (req.method !== 'POST') throw new Error(`${req.method} ${path}`);
          this.notifications.push(normalise(path, JSON.parse(text), at));
        } catch (e) {
          this.problems.push(`${(e as Error).message} (body: ${text.slice(0, 500)})`);
          res.writeHead(400, { 'Content-Type': 'text/plain' });
          res.end('bad request\n');
          return;
        }
        if (path === PAGERDUTY_PATH) {
          res.writeHead(202, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ status: 'success', message: 'Event processed' }));
        } else {
          res.writeHead(200, { 'Content-Type': 'text/plain' });
          res.end('ok');
        }
      });
    });
  }

  async start(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The Slack incoming-webhook URL of a receiver. */
  slackUrl(receiver: string): string {
    return `http://127.0.0.1:${this.port}/slack/${encodeURIComponent(receiver)}`;
  }

  /** The PagerDuty Events API v2 URL. */
  pagerdutyUrl(): string {
    return `http://127.0.0.1:${this.port}${PAGERDUTY_PATH}`;
  }

  /** One line per notification, for failure messages. */
  summary(): string {
    if (this.notifications.length === 0 && this.problems.length === 0) return '(none)';
    const start = this.notifications[0]?.at ?? 0;
    return [
      ...this.notifications.map((n) => `+${((n.at - start) / 1000).toFixed(1)}s ${n.kind} ${n.path} receiver=${n.receiver}: ${n.title}`),
      ...this.problems.map((p) => `PROBLEM: ${p}`),
    ].join('\n');
  }
}
