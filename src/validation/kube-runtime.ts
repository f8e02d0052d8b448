/*
 * What the Kubernetes core-kind validators need at run time besides ajv's own runtime: the
 * formats. Shared by validators compiled on use (src/validation/kube-schemas.ts) and the ones
 * compiled at build time into lib/validation/kube-validators/ (which `require` this module by
 * the name in KUBE_STANDALONE_REQUIRE), so both behave the same.
 *
 * Internal module: not exported from src/index.ts.
 */
import { CRD_FORMATS } from './crd-runtime';

/** How a precompiled validator module (lib/validation/kube-validators/*.js) requires this one. */
export const KUBE_STANDALONE_REQUIRE = '../kube-runtime';

/**
 * resource.Quantity, the grammar of k8s.io/apimachinery's ParseQuantity:
 * `<sign>? (<digits> | <digits>.<digits>? | .<digits>) (<binarySI> | <decimalSI> | <decimalExponent>)?`
 * with binarySI Ki..Ei, decimalSI n u m k M G T P E (or nothing), decimalExponent e/E and a
 * signed integer. No blanks, no other units ("1GB", "500mb" and "1 Gi" are not quantities).
 */
export const QUANTITY = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[KMGTPE]i|[numkMGTPE]|[eE][+-]?\d+)?$/;

const BASE64 = CRD_FORMATS.byte;

/** The formats of the native schemas (others are registered as "anything"). */
export const KUBE_FORMATS = {
  ...CRD_FORMATS,
  // Native []byte fields decode with Go's base64.StdEncoding, which skips \r and \n.
  byte: { type: 'string' as const, validate: (s: string) => BASE64.test(s.replace(/[\r\n]/g, '')) },
  quantity: { type: 'string' as const, validate: (s: string) => QUANTITY.test(s) },
};
