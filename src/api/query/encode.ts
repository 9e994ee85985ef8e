/**
 * Query-protocol output encoding: the operation's plain output object to AWS's XML, walking the output
 * shape (lists as `<member>`, maps as `<entry><key/><value/></entry>`, timestamps in ISO 8601), inside
 * the `<XResponse><XResult>…</XResult><ResponseMetadata>` envelope; and the `<ErrorResponse>` envelope.
 */
import type { ServiceError } from '../../core/errors.js';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from '../../models/model.js';
import { boundedMessage } from '../../models/limits.js';

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Characters XML 1.0 cannot carry at all, not even as a character reference: C0 controls other than tab, line
 * feed and carriage return, U+FFFE/U+FFFF and lone surrogates. A stored value may hold one (a description taken
 * as sent); written raw it would make every response naming it unreadable to XML clients, so it is written as
 * U+FFFD, the replacement character.
 */
/* eslint-disable no-control-regex -- the control characters are what these match */
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\uD800-\uDFFF]/;
/* eslint-enable no-control-regex */

export function escapeXml(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(NOT_XML, '\uFFFD').replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/**
 * IAM returns policy documents URL-encoded inside its XML (the CLI decodes them; SDK users call
 * decodeURIComponent). Handlers return plain JSON text; this is the one place that encodes it.
 */
const URL_ENCODED_SHAPES = new Set(['policyDocumentType']);

/** AWS's Query services print timestamps as ISO 8601 in UTC, without milliseconds. */
export function isoTimestamp(value: unknown): string {
  const date = value instanceof Date ? value : new Date(String(value));
  if (Number.isNaN(date.getTime())) return String(value);
  const iso = date.toISOString();
  // Years beyond 9999 print with a sign and more digits; only the milliseconds are dropped.
  return iso.slice(0, -5) + 'Z';
}

function scalarText(model: ServiceModel, ref: ShapeRef, shape: Shape, value: unknown): string {
  switch (shape.type) {
    case 'timestamp':
      return isoTimestamp(value);
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    case 'blob':
      return Buffer.isBuffer(value) ? value.toString('base64') : String(value);
    default: {
      const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
      return URL_ENCODED_SHAPES.has(ref.shape) && model.metadata.endpointPrefix === 'iam'
        ? encodeURIComponent(text)
        : escapeXml(text);
    }
  }
}

interface MemberPlan {
  name: string;
  ref: ShapeRef;
  element: string;
  shape: Shape;
}

// Shapes are immutable model data: resolve each structure's members once, not on every response.
const memberPlans = new WeakMap<Shape, MemberPlan[]>();

function membersOf(model: ServiceModel, shape: Shape): MemberPlan[] {
  let plan = memberPlans.get(shape);
  if (plan === undefined) {
    plan = Object.entries(shape.members ?? {}).map(([name, ref]) => ({
      name,
      ref,
      element: ref.locationName ?? name,
      shape: shapeOf(model, ref),
    }));
    memberPlans.set(shape, plan);
  }
  return plan;
}

function encodeChildren(model: ServiceModel, shape: Shape, value: Record<string, unknown>, out: string[]): void {
  for (const member of membersOf(model, shape)) {
    const memberValue = value[member.name];
    if (memberValue === undefined || memberValue === null) continue;
    encodeShaped(model, member.ref, member.shape, member.element, memberValue, out);
  }
}

function encodeValue(model: ServiceModel, ref: ShapeRef, element: string, value: unknown, out: string[]): void {
  encodeShaped(model, ref, shapeOf(model, ref), element, value, out);
}

interface EncodedXml {
  ref: ShapeRef;
  shape: Shape;
  element: string;
  xml: string;
}

/**
 * The XML of frozen structures and lists, by value. A frozen value cannot change, and the IAM read cache
 * hands out the same frozen answer until the account changes, so its XML is built once, not per response.
 */
const encodedFrozen = new WeakMap<object, EncodedXml>();

function isFrozenObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && Object.isFrozen(value);
}

function encodeShaped(
  model: ServiceModel,
  ref: ShapeRef,
  shape: Shape,
  element: string,
  value: unknown,
  out: string[],
): void {
  if ((shape.type === 'structure' || shape.type === 'list') && isFrozenObject(value)) {
    const memo = encodedFrozen.get(value);
    if (memo !== undefined && memo.ref === ref && memo.shape === shape && memo.element === element) {
      out.push(memo.xml);
      return;
    }
    const parts: string[] = [];
    encodeUnfrozen(model, ref, shape, element, value, parts);
    const xml = parts.join('');
    encodedFrozen.set(value, { ref, shape, element, xml });
    out.push(xml);
    return;
  }
  encodeUnfrozen(model, ref, shape, element, value, out);
}

function encodeUnfrozen(
  model: ServiceModel,
  ref: ShapeRef,
  shape: Shape,
  element: string,
  value: unknown,
  out: string[],
): void {
  switch (shape.type) {
    case 'structure':
      out.push(`<${element}>`);
      encodeChildren(model, shape, value as Record<string, unknown>, out);
      out.push(`</${element}>`);
      return;
    case 'list': {
      const items = value as unknown[];
      const flattened = ref.flattened ?? shape.flattened ?? false;
      const itemName = flattened ? element : (shape.member!.locationName ?? 'member');
      if (!flattened) out.push(`<${element}>`);
      for (const item of items) encodeValue(model, shape.member!, itemName, item, out);
      if (!flattened) out.push(`</${element}>`);
      return;
    }
    case 'map': {
      const keyName = shape.key?.locationName ?? 'key';
      const valueName = shape.value?.locationName ?? 'value';
      out.push(`<${element}>`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        out.push(`<entry><${keyName}>${escapeXml(k)}</${keyName}>`);
        encodeValue(model, shape.value!, valueName, v, out);
        out.push('</entry>');
      }
      out.push(`</${element}>`);
      return;
    }
    default:
      out.push(`<${element}>${scalarText(model, ref, shape, value)}</${element}>`);
  }
}

function namespace(model: ServiceModel): string {
  return (
    model.metadata.xmlNamespace ??
    `https://${model.metadata.endpointPrefix}.amazonaws.com/doc/${model.metadata.apiVersion}/`
  );
}

export function encodeQueryOutput(
  model: ServiceModel,
  operationName: string,
  output: Record<string, unknown> | undefined,
  requestId: string,
): string {
  const operation = model.operations[operationName];
  const out: string[] = [`<${operationName}Response xmlns="${namespace(model)}">`];
  if (operation?.output !== undefined) {
    const wrapper = operation.output.resultWrapper ?? `${operationName}Result`;
    out.push(`<${wrapper}>`);
    encodeChildren(model, shapeOf(model, operation.output), output ?? {}, out);
    out.push(`</${wrapper}>`);
  }
  out.push(`<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>`);
  out.push(`</${operationName}Response>`);
  return out.join('');
}

export function encodeQueryError(model: ServiceModel | undefined, error: ServiceError, requestId: string): string {
  const xmlns = model === undefined ? '' : ` xmlns="${namespace(model)}"`;
  return (
    `<ErrorResponse${xmlns}><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
    `<Message>${escapeXml(boundedMessage(error.message))}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`
  );
}
