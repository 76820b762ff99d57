// What a successful answer to each request the tool makes must look like, checked on the raw bytes
// before the SDK deserializes them. The SDK cannot do this: it parses XML into objects and throws
// the root element's name away, so an HTML sign-in page from a proxy, an empty body or a
// <ListBucketResult> answered for `?acl` all become `{}`, which every fact would read as
// "not configured" (a false pass). Here a 2xx answer that is not the document asked for becomes a
// MalformedResponse error naming the operation; "not configured" comes only from the documented
// error codes (NoSuchBucketPolicy, ...), which are not 2xx answers and never reach this table.
//
// ONE table, applied by a middleware on every client of the session (src/aws/session.ts), so a
// new read gets the same guarantee by adding a row; test/e2e/faults.test.ts fails when the tool
// makes a read that has no row.

import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** A field that must be present (dot path below the root; arrays: any element), optionally matching a pattern. */
export interface RequiredField {
  path: string;
  pattern?: RegExp;
  /**
   * The value must be this field of the request's own input: an S3 listing names the bucket it
   * lists, so a listing of another bucket (or none) is never read as "nothing there".
   */
  equalsInput?: string;
}

export type AnswerShape =
  /** restXml (S3, S3 Control) and the query protocol (IAM, STS): the root element and required fields below it. */
  | { format: 'xml'; root: string; required?: RequiredField[] }
  /** A JSON object (restJson1 answers such as CodeArtifact's; S3's bucket policy, which is the document itself). */
  | { format: 'json'; document: string; required?: RequiredField[] };

const ACCOUNT = /^\d{12}$/;
const IAM_OR_STS_ARN = /^arn:aws[a-z-]*:(iam|sts)::\d{12}:\S+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/;

const xml = (root: string, ...required: Array<string | RequiredField>): AnswerShape => ({
  format: 'xml',
  root,
  required: required.map((r) => (typeof r === 'string' ? { path: r } : r)),
});

/** Query protocol (IAM, STS): `<OpResponse><OpResult>…`, required fields below the Result element. */
const query = (operation: string, ...required: Array<string | RequiredField>): AnswerShape =>
  xml(
    `${operation}Response`,
    `${operation}Result`,
    ...required.map((r) => (typeof r === 'string' ? { path: `${operation}Result.${r}` } : { ...r, path: `${operation}Result.${r.path}` })),
  );

/**
 * Every request the tool sends whose successful answer carries a document, by `service:Operation`
 * (service as the session names its clients). Root element names are those of the S3, S3 Control,
 * IAM and STS API references; required fields are those AWS always sends in that answer (a field
 * AWS may omit is not required: the fact decides what its absence means, e.g. a missing
 * RequestPayment Payer is a `skip`).
 */
export const ANSWER_SHAPES: Readonly<Record<string, AnswerShape>> = {
  // Bucket settings (ghes-s3 facts).
  's3:GetBucketAcl': xml('AccessControlPolicy', 'Owner.ID', 'AccessControlList'),
  's3:GetBucketPolicy': { format: 'json', document: 'bucket policy', required: [{ path: 'Statement' }] },
  's3:GetPublicAccessBlock': xml('PublicAccessBlockConfiguration'),
  's3:GetBucketOwnershipControls': xml('OwnershipControls', 'Rule.ObjectOwnership'),
  's3:GetBucketEncryption': xml('ServerSideEncryptionConfiguration', 'Rule'),
  's3:GetBucketVersioning': xml('VersioningConfiguration'),
  's3:GetBucketLifecycleConfiguration': xml('LifecycleConfiguration', 'Rule'),
  's3:GetObjectLockConfiguration': xml('ObjectLockConfiguration', 'ObjectLockEnabled'),
  's3:GetBucketRequestPayment': xml('RequestPaymentConfiguration'),
  's3:GetBucketReplication': xml('ReplicationConfiguration', 'Rule'),
  's3:ListBucketIntelligentTieringConfigurations': xml('ListBucketIntelligentTieringConfigurationsOutput'),
  's3:GetBucketLocation': xml('LocationConstraint'),
  // The probe's reads and the answers of its writes that carry a document.
  's3:ListObjectsV2': xml('ListBucketResult', { path: 'Name', equalsInput: 'Bucket' }),
  's3:ListObjectVersions': xml('ListVersionsResult', { path: 'Name', equalsInput: 'Bucket' }),
  's3:ListMultipartUploads': xml('ListMultipartUploadsResult', { path: 'Bucket', equalsInput: 'Bucket' }),
  's3:ListParts': xml('ListPartsResult', 'UploadId'),
  's3:CreateMultipartUpload': xml('InitiateMultipartUploadResult', 'UploadId'),
  's3:CompleteMultipartUpload': xml('CompleteMultipartUploadResult', 'Key'),
  // Account-level Block Public Access (S3 Control).
  's3control:GetPublicAccessBlock': xml('PublicAccessBlockConfiguration'),
  // Identity and IAM.
  'sts:GetCallerIdentity': query('GetCallerIdentity', { path: 'Arn', pattern: IAM_OR_STS_ARN }, { path: 'Account', pattern: ACCOUNT }, 'UserId'),
  'sts:AssumeRole': query('AssumeRole', 'Credentials.AccessKeyId', 'Credentials.SecretAccessKey'),
  'iam:GetAccountAuthorizationDetails': query('GetAccountAuthorizationDetails'),
  'iam:GetRole': query('GetRole', { path: 'Role.Arn', pattern: ROLE_ARN }),
  'iam:GetPolicy': query('GetPolicy', 'Policy.DefaultVersionId'),
  'iam:GetPolicyVersion': query('GetPolicyVersion', 'PolicyVersion.Document'),
  'iam:SimulatePrincipalPolicy': query('SimulatePrincipalPolicy'),
  // KMS (awsJson1_1): the bucket's SSE-KMS key policy (kms-access).
  'kms:GetKeyPolicy': { format: 'json', document: 'GetKeyPolicy answer', required: [{ path: 'Policy' }] },
  // CodeArtifact (restJson1).
  'codeartifact:DescribeDomain': { format: 'json', document: 'DescribeDomain answer', required: [{ path: 'domain.name' }] },
  'codeartifact:GetDomainPermissionsPolicy': { format: 'json', document: 'GetDomainPermissionsPolicy answer', required: [{ path: 'policy.document' }] },
  'codeartifact:ListRepositoriesInDomain': { format: 'json', document: 'ListRepositoriesInDomain answer', required: [{ path: 'repositories' }] },
  'codeartifact:GetRepositoryPermissionsPolicy': { format: 'json', document: 'GetRepositoryPermissionsPolicy answer', required: [{ path: 'policy.document' }] },
  'codeartifact:DescribeRepository': { format: 'json', document: 'DescribeRepository answer', required: [{ path: 'repository.name', equalsInput: 'repository' }] },
  'codeartifact:ListPackages': { format: 'json', document: 'ListPackages answer', required: [{ path: 'packages' }] },
};

/** The shape a successful answer must have, or undefined when the answer carries no document (HeadBucket, PutObject, DeleteObject) or is streamed (GetObject). */
export function answerShape(service: string, operation: string): AnswerShape | undefined {
  return ANSWER_SHAPES[`${service}:${operation}`];
}

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, ignoreDeclaration: true, ignorePiTags: true, processEntities: false });

/** An element name from the answer, safe to put in a message (never any of the body's text). */
const nameForMessage = (name: string): string => (/^[A-Za-z_][\w.:-]{0,63}$/.test(name) ? `<${name}>` : 'an unnamed element');

function valuesAt(node: unknown, path: string[]): unknown[] {
  if (path.length === 0) return [node];
  if (Array.isArray(node)) return node.flatMap((n) => valuesAt(n, path));
  if (node === null || typeof node !== 'object') return [];
  const next = (node as Record<string, unknown>)[path[0]];
  return next === undefined ? [] : valuesAt(next, path.slice(1));
}

function missingField(document: unknown, required: RequiredField[] = [], input?: Readonly<Record<string, unknown>>): string | undefined {
  for (const field of required) {
    const values = valuesAt(document, field.path.split('.'));
    if (values.length === 0) return `${field.path} is missing`;
    const pattern = field.pattern;
    if (pattern && !values.some((v) => typeof v === 'string' && pattern.test(v))) return `${field.path} is not a valid value`;
    const asked = field.equalsInput && input ? input[field.equalsInput] : undefined;
    if (typeof asked === 'string' && !values.includes(asked)) return `${field.path} is not the ${field.equalsInput} asked for`;
  }
  return undefined;
}

/**
 * Why `body` is not the answer `shape` describes (a short phrase naming what was found, never the
 * body's text: it may be anything, e.g. a reflected request with a signature), or undefined when it is.
 */
export function answerProblem(shape: AnswerShape, body: string, input?: Readonly<Record<string, unknown>>): string | undefined {
  if (body.trim() === '') return 'the body is empty';
  if (shape.format === 'json') {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch {
      return /^\s*</.test(body) ? 'the body is markup, not JSON' : 'the body is not JSON';
    }
    if (document === null || typeof document !== 'object' || Array.isArray(document)) return 'the body is not a JSON object';
    const missing = missingField(document, shape.required, input);
    return missing ? `not a ${shape.document}: ${missing}` : undefined;
  }
  if (XMLValidator.validate(body) !== true) return /<html[\s>]/i.test(body) ? 'the body is an HTML page' : 'the body is not well-formed XML';
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body) as Record<string, unknown>;
  } catch {
    return 'the body is not well-formed XML';
  }
  const roots = Object.keys(parsed).filter((k) => k !== '#text');
  if (roots.length !== 1) return roots.length ? 'the body has several root elements' : 'the body has no root element';
  if (roots[0] === 'Error' && shape.root !== 'Error') {
    const code = valuesAt(parsed.Error, ['Code'])[0];
    return `the body is an error document${typeof code === 'string' && /^[A-Za-z.]{1,64}$/.test(code) ? ` (${code})` : ''}`;
  }
  if (roots[0] !== shape.root) return `the root element is ${nameForMessage(roots[0])}, not <${shape.root}>`;
  const missing = missingField(parsed[roots[0]], shape.required, input);
  return missing ? `<${shape.root}> is incomplete: ${missing}` : undefined;
}

/** What the middleware throws: the SDK's error shape, so errorCode() names it and the log carries the request id. */
export function malformedAnswer(service: string, operation: string, status: number, requestId: string | undefined, problem: string): Error {
  const shape = answerShape(service, operation);
  const expected = !shape ? 'the document asked for' : shape.format === 'xml' ? `the <${shape.root}> document` : `a ${shape.document}`;
  const e = new Error(`${service}:${operation} answered HTTP ${status}, but the answer is not valid: expected ${expected}, and ${problem}`);
  e.name = 'MalformedResponse';
  return Object.assign(e, { $metadata: { httpStatusCode: status, requestId } });
}
