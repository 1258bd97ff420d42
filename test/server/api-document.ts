import Ajv2020 from 'ajv/dist/2020'
import { apiRouteList } from '../../src/server/routes/api'
import { openApiDocument } from '../../src/server/openapi'
import { Reply } from './api-support'

/** The document as the service serves it. */
export const theDocument = openApiDocument(apiRouteList)

type Json = Readonly<Record<string, unknown>>

const pointer = (...parts: ReadonlyArray<string>): string => parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')

const isoInstant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/
const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addFormat('uuid', uuidShape)
ajv.addFormat('date-time', (s: string) => isoInstant.test(s) && !Number.isNaN(Date.parse(s)))
ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/)
ajv.addFormat('uri', (s: string) => URL.canParse(s))
ajv.addSchema(theDocument as unknown as Json, 'openapi.json')

/** The document's path template that a request path matches: concrete paths before templated ones (as OpenAPI says). */
export const templateOf = (requestPath: string): string | null => {
  const plain = requestPath.replace(/^\/api\/v1/, '').split('?')[0] ?? ''
  const templates = Object.keys(theDocument.paths).sort((a, b) => (a.includes('{') ? 1 : 0) - (b.includes('{') ? 1 : 0))
  return templates.find((t) => new RegExp(`^${t.replace(/\{\w+\}/g, '[^/]+')}$`).test(plain)) ?? null
}

const lookup = (at: string): unknown => at.split('/').slice(1).reduce<unknown>((node, part) =>
  (typeof node === 'object' && node !== null ? (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')] : undefined), theDocument)

/**
 * What is wrong with a real answer by the document: its path, method and status must be
 * described, its content type be the one described, its body match the schema. Empty: it conforms.
 */
export const nonConformities = (reply: Reply): ReadonlyArray<string> => {
  const template = templateOf(reply.path)
  if (template === null) return [`${reply.path} is not in the document`]
  let responseAt = `#/${pointer('paths', template, reply.method.toLowerCase(), 'responses', String(reply.status))}`
  let response = lookup(responseAt.slice(1)) as Json | undefined
  if (response === undefined) return [`${reply.method} ${template} does not describe a ${reply.status} answer`]
  if (typeof response.$ref === 'string') {
    responseAt = response.$ref
    response = lookup(responseAt.slice(1)) as Json
  }
  const type = (reply.headers.get('content-type') ?? '').split(';')[0] ?? ''
  const content = response.content as Json | undefined
  if (content?.[type] === undefined) return [`${reply.method} ${template} ${reply.status}: content type ${type} is not described`]
  const validate = ajv.getSchema(`openapi.json${responseAt}/${pointer('content', type, 'schema')}`)
  if (validate === undefined) return [`no schema at ${responseAt}`]
  return validate(reply.body) ? [] : (validate.errors ?? []).map((e) => `${reply.method} ${reply.path} ${reply.status}: ${e.instancePath} ${e.message ?? ''}`)
}
