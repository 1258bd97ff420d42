/** Values for `{{placeholders}}`. */
export type TemplateValues = Readonly<Record<string, string | number>>

const placeholder = /\{\{\s*([^}]*?)\s*\}\}/g
const whole = /^\{\{\s*([^}]*?)\s*\}\}$/

const valueOf = (values: TemplateValues, name: string): string | number => {
  const value = values[name]
  if (value === undefined) throw new Error(`no value for the placeholder {{${name}}}`)
  return value
}

/** A path template with each value URI-encoded. */
export const renderPath = (template: string, values: TemplateValues): string =>
  template.replace(placeholder, (_match, name: string) => encodeURIComponent(String(valueOf(values, name))))

/** A JSON body template: a string that is one placeholder takes the value's type (a quantity stays a number). */
export const renderBody = (template: unknown, values: TemplateValues): unknown => {
  if (typeof template === 'string') {
    const one = whole.exec(template)
    return one === null ? template.replace(placeholder, (_match, name: string) => String(valueOf(values, name))) : valueOf(values, one[1] ?? '')
  }
  if (Array.isArray(template)) return template.map((item: unknown) => renderBody(item, values))
  if (typeof template === 'object' && template !== null) {
    return Object.fromEntries(Object.entries(template).map(([key, item]) => [key, renderBody(item, values)]))
  }
  return template
}

/** The value at a JSON pointer (RFC 6901), or undefined. */
export const atPointer = (value: unknown, pointer: string): unknown => {
  if (pointer === '') return value
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((node, token) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[token] : undefined), value)
}
