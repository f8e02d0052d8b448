import { Severity } from './options';
import { InvalidOptionError } from '../validation/errors';
import { checkArray, checkBoolean, checkEnum, checkPromDuration, checkString, checkStruct } from '../validation/option-checks';

/** `alerting.ruleOverrides[i]`, validated (which alert it may name is checked with the rules: src/model/alerts/rule-overrides.ts). */
export interface ResolvedRuleOverride {
  /** Where it came from, for messages: `alerting.ruleOverrides[<i>]`. */
  readonly option: string;
  readonly alert: string;
  readonly disabled: boolean;
  readonly for?: string;
  readonly severity?: Severity;
  readonly threshold?: number;
}

const FIELDS = ['alert', 'disabled', 'for', 'severity', 'threshold'];

/**
 * `alerting.ruleOverrides`: one entry per alert, each setting at least one of
 * disabled, for, severity and threshold; an alert named in it may not also be
 * in `alerting.thresholds` or `alerting.forDurations` (two places for one
 * setting).
 */
export function resolveRuleOverrides(value: unknown, thresholds: Readonly<Record<string, number>>,
  forDurations: Readonly<Record<string, string>>): ResolvedRuleOverride[] {
  if (value === undefined) return [];
  const list = checkArray('alerting.ruleOverrides', value).map((raw, i): ResolvedRuleOverride => {
    const o = `alerting.ruleOverrides[${i}]`;
    const v = checkStruct(o, raw, FIELDS);
    if (v.alert === undefined) throw new InvalidOptionError(`${o}.alert`, undefined, 'is required: the name of the alert to change');
    const alert = checkString(`${o}.alert`, v.alert);
    const disabled = v.disabled === undefined ? false : checkBoolean(`${o}.disabled`, v.disabled);
    const forValue = v.for === undefined ? undefined : checkPromDuration(`${o}.for`, v.for);
    const severity = v.severity === undefined ? undefined : checkEnum(`${o}.severity`, v.severity, Severity);
    if (v.threshold !== undefined && (typeof v.threshold !== 'number' || !Number.isFinite(v.threshold))) {
      throw new InvalidOptionError(`${o}.threshold`, v.threshold, 'is not a number');
    }
    const threshold = v.threshold as number | undefined;
    if (!disabled && forValue === undefined && severity === undefined && threshold === undefined) {
      throw new InvalidOptionError(o, raw, 'changes nothing: set disabled, for, severity or threshold');
    }
    if (disabled && (forValue !== undefined || severity !== undefined || threshold !== undefined)) {
      throw new InvalidOptionError(o, raw, 'disables the alert and also changes it: keep either disabled or the changes');
    }
    if (threshold !== undefined && alert in thresholds) {
      throw new InvalidOptionError(`${o}.threshold`, threshold, `sets the threshold of ${alert}, which alerting.thresholds.${alert} also sets: keep one`);
    }
    if (forValue !== undefined && alert in forDurations) {
      throw new InvalidOptionError(`${o}.for`, forValue, `sets the \`for\` of ${alert}, which alerting.forDurations.${alert} also sets: keep one`);
    }
    return {
      option: o,
      alert,
      disabled,
      ...(forValue !== undefined ? { for: forValue } : {}),
      ...(severity !== undefined ? { severity } : {}),
      ...(threshold !== undefined ? { threshold } : {}),
    };
  });
  list.forEach((r, i) => {
    const first = list.findIndex((x) => x.alert === r.alert);
    if (first !== i) throw new InvalidOptionError(`alerting.ruleOverrides[${i}].alert`, r.alert, `is a duplicate: alerting.ruleOverrides[${first}] also names it (one entry per alert)`);
  });
  return list;
}
