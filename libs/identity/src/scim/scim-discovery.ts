import { listResponse, SCIM, SCIM_MAX_COUNT } from './scim-protocol.js';

interface Attr {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued?: boolean;
  required?: boolean;
  mutability?: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  uniqueness?: 'none' | 'server' | 'global';
  description: string;
  subAttributes?: Attr[];
  referenceTypes?: string[];
}

function attr(a: Attr): Record<string, unknown> {
  return {
    name: a.name,
    type: a.type,
    multiValued: a.multiValued ?? false,
    description: a.description,
    required: a.required ?? false,
    caseExact: false,
    mutability: a.mutability ?? 'readWrite',
    returned: 'default',
    uniqueness: a.uniqueness ?? 'none',
    ...(a.referenceTypes ? { referenceTypes: a.referenceTypes } : {}),
    ...(a.subAttributes ? { subAttributes: a.subAttributes.map(attr) } : {}),
  };
}

const USER_ATTRIBUTES: Attr[] = [
  {
    name: 'userName',
    type: 'string',
    required: true,
    uniqueness: 'server',
    description: "The person's e-mail address (unique, case-insensitive)",
  },
  { name: 'externalId', type: 'string', uniqueness: 'server', description: "The person's id in the provisioning client's directory" },
  { name: 'displayName', type: 'string', description: 'The name shown in the module and on certificates' },
  {
    name: 'name',
    type: 'complex',
    description: 'Used for displayName when none is given (formatted, or givenName and familyName)',
    subAttributes: [
      { name: 'formatted', type: 'string', description: 'The full name' },
      { name: 'givenName', type: 'string', description: 'Given name' },
      { name: 'familyName', type: 'string', description: 'Family name' },
    ],
  },
  {
    name: 'active',
    type: 'boolean',
    description: 'false disables the person: sessions end, reminders and new assignments stop, records stay',
  },
  { name: 'preferredLanguage', type: 'string', description: 'en, sr-Latn or sr-Cyrl' },
  {
    name: 'emails',
    type: 'complex',
    multiValued: true,
    description: 'Returned as the userName; accepted and not kept separately',
    subAttributes: [
      { name: 'value', type: 'string', description: 'E-mail address' },
      { name: 'type', type: 'string', description: 'work' },
    ],
  },
  {
    name: 'groups',
    type: 'complex',
    multiValued: true,
    mutability: 'readOnly',
    description: "The person's job role (change it through Groups)",
    subAttributes: [{ name: 'value', type: 'string', mutability: 'readOnly', description: 'Job-role code' }],
  },
];

const ENTERPRISE_ATTRIBUTES: Attr[] = [
  { name: 'employeeNumber', type: 'string', description: 'Employee number (informational)' },
  {
    name: 'department',
    type: 'string',
    description: "An org unit of the client's subtree, by code or by name (per client); none or no match: the client's default unit",
  },
  {
    name: 'manager',
    type: 'complex',
    description: "The person's manager (escalations of overdue training go to them)",
    subAttributes: [{ name: 'value', type: 'string', description: 'The manager’s SCIM id' }],
  },
];

const GROUP_ATTRIBUTES: Attr[] = [
  { name: 'displayName', type: 'string', required: true, uniqueness: 'server', description: 'The job role’s title' },
  {
    name: 'members',
    type: 'complex',
    multiValued: true,
    description: 'People holding the job role (one job role per person)',
    subAttributes: [{ name: 'value', type: 'string', mutability: 'immutable', description: 'A person’s SCIM id' }],
  },
];

function meta(baseUrl: string, resourceType: string, path: string): Record<string, unknown> {
  return { resourceType, location: `${baseUrl}${path}` };
}

export function serviceProviderConfig(baseUrl: string, docsUrl: string): Record<string, unknown> {
  return {
    schemas: [SCIM.serviceProviderConfig],
    documentationUri: docsUrl,
    patch: { supported: true },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: true, maxResults: SCIM_MAX_COUNT },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [
      {
        type: 'oauthbearertoken',
        name: 'Bearer token',
        description: 'A provisioning client token issued by an administrator (POST /api/v1/admin/scim-clients)',
        primary: true,
      },
    ],
    meta: meta(baseUrl, 'ServiceProviderConfig', '/ServiceProviderConfig'),
  };
}

function schema(baseUrl: string, id: string, name: string, description: string, attributes: Attr[]): Record<string, unknown> {
  return {
    schemas: [SCIM.schema],
    id,
    name,
    description,
    attributes: attributes.map(attr),
    meta: meta(baseUrl, 'Schema', `/Schemas/${id}`),
  };
}

export function scimSchemas(baseUrl: string): Array<Record<string, unknown>> {
  return [
    schema(baseUrl, SCIM.user, 'User', 'A person', USER_ATTRIBUTES),
    schema(baseUrl, SCIM.enterprise, 'EnterpriseUser', 'Placement of a person', ENTERPRISE_ATTRIBUTES),
    schema(baseUrl, SCIM.group, 'Group', 'A job role', GROUP_ATTRIBUTES),
  ];
}

export function scimResourceTypes(baseUrl: string): Array<Record<string, unknown>> {
  return [
    {
      schemas: [SCIM.resourceType],
      id: 'User',
      name: 'User',
      endpoint: '/Users',
      description: 'People',
      schema: SCIM.user,
      schemaExtensions: [{ schema: SCIM.enterprise, required: false }],
      meta: meta(baseUrl, 'ResourceType', '/ResourceTypes/User'),
    },
    {
      schemas: [SCIM.resourceType],
      id: 'Group',
      name: 'Group',
      endpoint: '/Groups',
      description: 'Job roles',
      schema: SCIM.group,
      meta: meta(baseUrl, 'ResourceType', '/ResourceTypes/Group'),
    },
  ];
}

export function listOf(resources: Array<Record<string, unknown>>): Record<string, unknown> {
  return listResponse(resources, resources.length, 1);
}
