/**
 * The dead man's switch (`alerting.heartbeat`): public types and their
 * resolution. Prometheus fires `Watchdog` all the time; Alertmanager sends it
 * to a heartbeat monitor every `repeatInterval`, and the monitor raises its
 * own alarm when the pings stop, which is the one way to notice that
 * Prometheus, Alertmanager or the route between them is dead.
 * Public (jsii) types only; resolution is in resolve-heartbeat.ts.
 */

/** What receives the Watchdog heartbeat. */
export enum HeartbeatType {
  /**
   * Any heartbeat or dead man's switch service that takes an HTTP POST on a
   * secret URL (Dead Man's Snitch, Cronitor, Better Stack, Grafana OnCall
   * heartbeats, a PagerDuty or Opsgenie heartbeat integration URL).
   */
  WEBHOOK = 'webhook',
  /** A healthchecks.io (or self-hosted Healthchecks) check's ping URL. */
  HEALTHCHECKS = 'healthchecks',
}

/** Where the always-firing Watchdog alert is sent, so a dead alerting pipeline is noticed. */
export interface HeartbeatOptions {
  /** What receives the heartbeat. */
  readonly type: HeartbeatType;
  /** Existing Secret (in the metrics namespace) that holds the heartbeat URL. Never put the URL in Git. */
  readonly secretName: string;
  /** Key of the Secret that holds the URL. */
  readonly secretKey: string;
  /**
   * How often Alertmanager pings while Prometheus and Alertmanager work. Set the
   * monitor's period to this and its grace time to a few minutes more.
   * @default "5m"
   */
  readonly repeatInterval?: string;
}
