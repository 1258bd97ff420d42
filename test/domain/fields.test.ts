import * as E from 'fp-ts/Either'
import * as t from 'io-ts'
import {
  CopiedAddresses, EmailInput, LicenseChangeIdInput, limits, Name, Note, ProviderIdInput, Reason, SubscriptionIdInput,
} from '../../src/domain/fields'
import { formatErrors } from '../../src/domain/validation'

const problemsOf = <A>(codec: t.Type<A, unknown, unknown>, field: string, value: unknown): ReadonlyArray<string> => {
  const decoded = t.strict({ [field]: codec }).decode({ [field]: value })
  return E.isLeft(decoded) ? formatErrors(decoded.left) : []
}
const decoded = <A>(codec: t.Decoder<unknown, A>, value: unknown): A | 'refused' => {
  const result = codec.decode(value)
  return E.isRight(result) ? result.right : 'refused'
}

describe('free text in a command', () => {
  test('a control character is refused, naming the field, the character and its position', () => {
    expect(problemsOf(Name, 'product', 'Widget\r\nBcc: evil@x.example')).toStrictEqual(['product: must not contain control characters (U+000D at 7)'])
    expect(problemsOf(Note, 'note', 'done\tin the portal')).toStrictEqual(['note: must not contain control characters (U+0009 at 5)'])
    expect(problemsOf(Reason, 'reason', 'fixed \u202eexe.txt')).toStrictEqual(['reason: must not contain control characters (U+202E at 7)'])
  })

  test('a lone surrogate is refused as not well-formed', () => {
    expect(problemsOf(Name, 'by', 'Dana\ud800')).toStrictEqual(['by: must be well-formed unicode (lone surrogate U+D800 at 5)'])
  })

  test('a name holds at most 200 characters, counted as characters', () => {
    expect(decoded(Name, 'x'.repeat(limits.name))).toBe('x'.repeat(200))
    expect(decoded(Name, '😀'.repeat(limits.name))).toBe('😀'.repeat(200))
    expect(problemsOf(Name, 'name', 'x'.repeat(201))).toStrictEqual(['name: must be at most 200 characters (got 201)'])
  })

  test('a note or a reason holds at most 2000 characters; a note may be empty, a reason may not', () => {
    expect(decoded(Note, '')).toBe('')
    expect(decoded(Note, 'n'.repeat(2000))).toBe('n'.repeat(2000))
    expect(problemsOf(Note, 'note', 'n'.repeat(2001))).toStrictEqual(['note: must be at most 2000 characters (got 2001)'])
    expect(problemsOf(Reason, 'reason', '')).toStrictEqual(['reason: expected NonEmptyString, got ""'])
  })

  test('a name must be non-empty and trimmed, as before', () => {
    expect(problemsOf(Name, 'name', ' Teams')).toStrictEqual(['name: expected NonEmptyString, got " Teams"'])
    expect(problemsOf(Name, 'name', 42)).toStrictEqual(['name: expected NonEmptyString, got 42'])
  })

  test('ordinary unicode comes through intact', () => {
    for (const text of ['Zoë 👩‍💻', 'می‌خواهم', 'שלום עולם', '微软 365', 'a\u200bb', 'x  y']) expect(decoded(Name, text)).toBe(text)
  })
})

describe('ids are canonical: lower-case uuids', () => {
  const id = '3f2b6c1e-8a4d-4e5f-9b7c-1d2e3f4a5b6c'

  const codecs: ReadonlyArray<readonly [string, t.Decoder<unknown, string> & { readonly is: (u: unknown) => boolean }]> = [['provider', ProviderIdInput], ['subscription', SubscriptionIdInput], ['License Change', LicenseChangeIdInput]]
  test.each(codecs)('a %s id in upper or mixed case is taken in lower case', (_kind, codec) => {
      expect(decoded(codec, id.toUpperCase())).toBe(id)
      expect(decoded(codec, 'Abc' + id.slice(3))).toBe('abc' + id.slice(3))
      expect(codec.is(id)).toBe(true)
      expect(codec.is(id.toUpperCase())).toBe(false)
    })

  test('what is not a uuid is refused as before', () => {
    expect(problemsOf(SubscriptionIdInput, 'subscriptionId', 'sub-1')).toStrictEqual(['subscriptionId: expected SubscriptionId, got "sub-1"'])
  })
})

describe('addresses in a command', () => {
  test('an address with a control character is refused, naming it', () => {
    expect(problemsOf(EmailInput, 'contractOwnerEmail', 'owner@customer.example\u0000')).toStrictEqual(['contractOwnerEmail: must not contain control characters (U+0000 at 23)'])
    expect(problemsOf(EmailInput, 'contractOwnerEmail', 'owner@customer')).toStrictEqual(['contractOwnerEmail: expected Email, got "owner@customer"'])
  })

  test('at most 50 copied addresses', () => {
    const list = (n: number) => Array.from({ length: n }, (_, i) => `copy${i}@reseller.example`)
    expect(decoded(CopiedAddresses, list(limits.copiedAddresses))).toStrictEqual(list(50))
    expect(problemsOf(CopiedAddresses, 'value', list(51))).toStrictEqual(['value: must hold at most 50 addresses (got 51)'])
    expect(decoded(CopiedAddresses, [])).toStrictEqual([])
  })

  test('an address given twice, in any case, is refused; the order given is kept', () => {
    expect(problemsOf(CopiedAddresses, 'value', ['a@x.example', 'b@x.example', 'A@X.example']))
      .toStrictEqual(['value: A@X.example is given twice (addresses compare without regard to case)'])
    expect(decoded(CopiedAddresses, ['b@x.example', 'a@x.example'])).toStrictEqual(['b@x.example', 'a@x.example'])
  })

  test('a bad address in the list is named by its place', () => {
    expect(problemsOf(CopiedAddresses, 'value', ['a@x.example', 'nope'])).toStrictEqual(['value.1: expected Email, got "nope"'])
  })
})
