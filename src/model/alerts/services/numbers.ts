import { promDurationMs } from '../../../validation/option-checks';

/*
 * Numbers as Prometheus and humans print them: exact values for rules, short ones for text, and
 * Go's formatting for the annotations Prometheus expands (so tests can predict them).
 */

/** A number without float noise (at most 12 significant digits): 100 - 99.9 → 0.1, not 0.0999999999999943. */
export function num(x: number): string {
  return String(Number(x.toPrecision(12)));
}

/** A number for humans: 4 significant digits (0.933333 → 0.9333). The rules carry the exact value. */
export function short(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** A ratio as a percentage for humans: 0.001 → "0.1%", 0.0933333 → "9.333%". */
export function percent(ratio: number): string {
  return `${short(ratio * 100)}%`;
}

/**
 * The `le` label value Prometheus 3 stores for a bucket boundary: the float
 * normalisation it applies on ingestion (Go's shortest 'g' formatting, with
 * ".0" appended to whole numbers), so 0.3 → "0.3", 1 → "1.0", 2.5 → "2.5".
 */
export function formatLe(seconds: number): string {
  if (!(seconds >= 1e-4 && seconds < 1e6)) {
    throw new Error(`formatLe: ${seconds} is outside the range this formatting is exact for`);
  }
  // In [1e-4, 1e6) JavaScript's shortest round-trip form and Go's 'g' -1 agree (no exponent).
  const s = String(seconds);
  return s.includes('.') ? s : `${s}.0`;
}

/**
 * The `le` matcher of a latency threshold. Prometheus 3 (both pinned charts)
 * normalises `le` to a float (le="1.0"); Prometheus 2 kept what the text
 * format exposed (le="1" from most Go clients). A whole-number threshold
 * matches both spellings, so a chart pinned back to Prometheus 2, or data
 * spanning an upgrade, still counts; a fractional one is spelled the same by
 * both and matches exactly.
 */
export function leMatcher(seconds: number): string {
  if (Number.isInteger(seconds)) return `le=~"${seconds}|${seconds}\\\\.0"`;
  return `le="${formatLe(seconds)}"`;
}

/** Hours of a Prometheus duration. */
export function hoursOf(duration: string): number {
  return promDurationMs(duration) / 3_600_000;
}

/** A number of hours for humans: 50 → "2d 2h", 120 → "5d", 0.5 → "30m". */
export function humanHours(hours: number): string {
  const totalMinutes = Math.round(hours * 60);
  const d = Math.floor(totalMinutes / 1440);
  const h = Math.floor((totalMinutes % 1440) / 60);
  const m = totalMinutes % 60;
  const parts = [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].filter((p) => p !== '');
  return parts.length > 0 ? parts.join(' ') : '0m';
}

/**
 * Go's `fmt.Sprintf("%.<prec>g", x)` for finite x: `prec` significant digits
 * rounded half to even on the exact binary value, trailing zeros dropped, an
 * exponent when it is below -4 or at least `prec`.
 */
export function goFormatG(x: number, prec: number): string {
  if (x === 0) return '0';
  const neg = x < 0;
  const exp100 = Math.abs(x).toExponential(99); // exact digits of the double (within 100)
  const [mantissa, expPart] = exp100.split('e');
  let digits = mantissa.replace('.', '').split('').map(Number);
  let dp = Number(expPart) + 1; // value = 0.d1d2... × 10^dp
  // round to prec digits, half to even
  const rest = digits.slice(prec);
  let kept = digits.slice(0, prec);
  const first = rest[0] ?? 0;
  const tail = rest.slice(1).some((d) => d !== 0);
  const roundUp = first > 5 || (first === 5 && (tail || kept[kept.length - 1] % 2 === 1));
  if (roundUp) {
    let i = kept.length - 1;
    while (i >= 0 && kept[i] === 9) kept[i--] = 0;
    if (i < 0) {
      kept = [1, ...kept.slice(0, prec - 1)];
      dp += 1;
    } else {
      kept[i] += 1;
    }
  }
  digits = kept;
  while (digits.length > 1 && digits[digits.length - 1] === 0) digits.pop();
  const nd = digits.length;
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  const e = dp - 1;
  let out: string;
  if (e < -4 || e >= eprec) {
    const p = Math.min(prec, nd);
    out = `${digits[0]}${p > 1 ? '.' + digits.slice(1, p).join('') : ''}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  } else {
    const p = prec > dp ? nd : prec;
    const frac = Math.max(p - dp, 0);
    const digitAt = (i: number) => (i >= 0 && i < nd ? String(digits[i]) : '0');
    let intPart = '';
    if (dp > 0) for (let i = 0; i < dp; i++) intPart += digitAt(i);
    else intPart = '0';
    let fracPart = '';
    for (let i = 0; i < frac; i++) fracPart += digitAt(dp + i);
    out = frac > 0 ? `${intPart}.${fracPart}` : intPart;
  }
  return neg ? `-${out}` : out;
}

/** Prometheus' `humanizePercentage` template function. */
export function humanizePercentage(v: number): string {
  return `${goFormatG(v * 100, 4)}%`;
}

/** Prometheus' `humanizeDuration` template function (seconds). */
export function humanizeDuration(v: number): string {
  if (v === 0) return '0s';
  if (Math.abs(v) >= 1) {
    const sign = v < 0 ? '-' : '';
    const a = Math.abs(v);
    const duration = Math.trunc(a);
    const seconds = duration % 60;
    const minutes = Math.trunc(duration / 60) % 60;
    const hours = Math.trunc(duration / 3600) % 24;
    const days = Math.trunc(duration / 86400);
    if (days !== 0) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
    if (hours !== 0) return `${sign}${hours}h ${minutes}m ${seconds}s`;
    if (minutes !== 0) return `${sign}${minutes}m ${seconds}s`;
    return `${sign}${goFormatG(a, 4)}s`;
  }
  let prefix = '';
  let x = v;
  for (const p of ['m', 'u', 'n', 'p', 'f', 'a', 'z', 'y']) {
    if (Math.abs(x) >= 1) break;
    prefix = p;
    x *= 1000;
  }
  return `${goFormatG(x, 4)}${prefix}s`;
}

/** Expand the Go templates the per-service annotations use, as Prometheus would for an alert with these labels and value. */
export function expandAnnotation(text: string, labels: Readonly<Record<string, string>>, value?: number): string {
  const out = text.replace(/\{\{\s*(\$labels\.([A-Za-z_][A-Za-z0-9_]*)|\$value\s*\|\s*(humanizePercentage|humanizeDuration))\s*\}\}/g,
    (_m, _all, label: string | undefined, fn: string | undefined) => {
      if (label !== undefined) return labels[label] ?? '';
      if (value === undefined) throw new Error(`annotation "${text}" uses $value, but the test has none`);
      return fn === 'humanizePercentage' ? humanizePercentage(value) : humanizeDuration(value);
    });
  if (out.includes('{{')) throw new Error(`annotation "${text}" uses a template the test synthesis cannot expand`);
  return out;
}
