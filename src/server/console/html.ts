import { escape } from '../../providers/manual'

/** Markup the console made itself: placed as it is. Everything else is text and is escaped. */
export interface Html {
  readonly _tag: 'Html'
  readonly markup: string
}

/** Markup as it is (only for what a template made). */
const trusted = (markup: string): Html => ({ _tag: 'Html', markup })

const isHtml = (value: unknown): value is Html =>
  typeof value === 'object' && value !== null && (value as Html)._tag === 'Html' && typeof (value as Html).markup === 'string'

/** What a template may hold: text (escaped), numbers, markup, lists of them; null and undefined as nothing. */
export type Part = Html | string | number | null | undefined | ReadonlyArray<Part>

/** A part as markup: text through the one escaping function of seatflow (the mails' too), markup as it is. */
export const markupOf = (part: Part): string => {
  if (part === null || part === undefined) return ''
  if (isHtml(part)) return part.markup
  if (Array.isArray(part)) return (part as ReadonlyArray<Part>).map(markupOf).join('')
  return escape(String(part))
}

/** The template of every page: each interpolated value is text unless a template made it. */
export const html = (strings: TemplateStringsArray, ...parts: ReadonlyArray<Part>): Html =>
  trusted(strings.reduce((made, string, index) => made + string + (index < parts.length ? markupOf(parts[index]) : ''), ''))

/** A page's whole text. */
export const documentOf = (page: Html): string => `<!doctype html>\n${page.markup}`
