import { HeartbeatType } from './heartbeat';
import { InvalidOptionError } from '../validation/errors';
import { checkDnsSubdomain, checkEnum, checkPromDuration, checkString, checkStruct } from '../validation/option-checks';

/** `alerting.heartbeat`, resolved. */
export interface ResolvedHeartbeat {
  readonly type: HeartbeatType;
  readonly secretName: string;
  readonly secretKey: string;
  readonly repeatInterval: string;
}

const FIELDS = ['type', 'secretName', 'secretKey', 'repeatInterval'];

/** Resolve and check `<option>` (`alerting.heartbeat`). */
export function resolveHeartbeat(option: string, value: unknown, alertmanager: boolean): ResolvedHeartbeat | undefined {
  if (value === undefined) return undefined;
  const h = checkStruct(option, value, FIELDS);
  if (!alertmanager) {
    throw new InvalidOptionError(option, value, 'is set, but metrics.alertmanager is false: no Alertmanager would send the heartbeat');
  }
  for (const required of ['type', 'secretName', 'secretKey']) {
    if (h[required] === undefined) throw new InvalidOptionError(`${option}.${required}`, undefined, 'is required (the heartbeat URL comes from a key of an existing Secret)');
  }
  return {
    type: checkEnum(`${option}.type`, h.type, HeartbeatType),
    secretName: checkDnsSubdomain(`${option}.secretName`, h.secretName),
    secretKey: checkSecretKey(`${option}.secretKey`, h.secretKey),
    repeatInterval: h.repeatInterval === undefined ? '5m' : checkPromDuration(`${option}.repeatInterval`, h.repeatInterval),
  };
}

/** A key of a Secret's data (as alerting.receivers[].secretKey is checked). */
function checkSecretKey(option: string, value: unknown): string {
  const s = checkString(option, value);
  if (!/^[-._a-zA-Z0-9]+$/.test(s) || s.length > 253) {
    throw new InvalidOptionError(option, value, 'is not a valid Secret key: use letters, digits, "-", "_" and "." (for example "url")');
  }
  return s;
}
