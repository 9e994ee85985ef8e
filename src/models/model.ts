/**
 * The subset of AWS's service-model format (botocore `service-2.json`) the codecs read: operations with
 * their HTTP binding and input/output shapes, and the shapes with their constraints.
 */
export interface ShapeRef {
  shape: string;
  locationName?: string;
  location?: 'header' | 'querystring' | 'uri' | 'headers' | 'statusCode';
  flattened?: boolean;
  idempotencyToken?: boolean;
  /** Query protocol: the name of the element that wraps the output (`CreateUserResult`). */
  resultWrapper?: string;
}

export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | 'timestamp'
    | 'blob';
  members?: Record<string, ShapeRef>;
  required?: string[];
  member?: ShapeRef;
  key?: ShapeRef;
  value?: ShapeRef;
  flattened?: boolean;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  sensitive?: boolean;
  timestampFormat?: string;
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  /** JSON document type (used by a few services): passed through untouched. */
  document?: boolean;
}

export interface OperationModel {
  name: string;
  http?: { method: string; requestUri: string; responseCode?: number };
  input?: ShapeRef;
  output?: ShapeRef;
  errors?: ShapeRef[];
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    endpointPrefix: string;
    protocol: 'query' | 'json' | 'rest-json' | 'rest-xml' | 'ec2';
    jsonVersion?: string;
    targetPrefix?: string;
    signingName?: string;
    serviceId: string;
    xmlNamespace?: string;
    globalEndpoint?: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}

export function shapeOf(model: ServiceModel, ref: ShapeRef): Shape {
  const shape = model.shapes[ref.shape];
  if (shape === undefined) throw new Error(`${model.metadata.serviceId}: unknown shape ${ref.shape}`);
  return shape;
}

/** The name SigV4 scopes carry for the service (`iam`, `sts`, `ce`…). */
export function signingName(model: ServiceModel): string {
  return model.metadata.signingName ?? model.metadata.endpointPrefix;
}

/**
 * `record[key]` for a key that arrives in a request (a service, an operation, an action): own entries only,
 * so `constructor` or `__proto__` find nothing rather than Object's prototype.
 */
export function ownEntry<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
