import { execFileSync } from 'node:child_process'
import * as path from 'node:path'

const root = path.join(__dirname, '..', '..')

/** ESLint with the project's own config, in a Node process of its own (its config loader needs real ES modules). */
const script = `
const { ESLint } = require('eslint')
;(async () => {
  const eslint = new ESLint({ cwd: process.cwd() })
  const out = []
  for (const [file, code] of JSON.parse(require('fs').readFileSync(0, 'utf8'))) {
    const [result] = await eslint.lintText(code, { filePath: require('path').join(process.cwd(), file) })
    out.push((result ? result.messages : []).map((message) => message.ruleId))
  }
  process.stdout.write(JSON.stringify(out))
})()`

/** The rule ids ESLint reports for each `[file, code]`, as if the code stood in that file of the project. */
const lint = (cases: ReadonlyArray<readonly [string, string]>): ReadonlyArray<ReadonlyArray<string | null>> =>
  JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: root, input: JSON.stringify(cases) }).toString()) as ReadonlyArray<ReadonlyArray<string | null>>

const queued: Array<readonly [string, string]> = []
let answers: ReadonlyArray<ReadonlyArray<string | null>> = []
/** A case to lint: its answer is read after all cases went through one ESLint process (beforeAll). */
const ruleIdsFor = (file: string, code: string): (() => ReadonlyArray<string | null>) => {
  const index = queued.push([file, code]) - 1
  return () => answers[index] ?? []
}

const longFunction = (lines: number): string =>
  `export const tooLong = (n: number): number => {\n  let x = n\n${Array.from({ length: lines }, (_, i) => `  x += ${i}\n`).join('')}  return x\n}\n`

const forbidden = ([
    ['src/domain/x.ts', "import { openStorage } from '../store/open'\nexport const x = openStorage"],
    ['src/domain/x.ts', "import { createSeatflow } from '../app/seatflow'\nexport const x = createSeatflow"],
    ['src/domain/x.ts', "import { licenseChangeLog } from '../projections/licenseChangeLog'\nexport const x = licenseChangeLog"],
    ['src/domain/x.ts', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync"],
    ['src/domain/x.ts', "import Database from 'better-sqlite3'\nexport const x = Database"],
    ['src/providers/x.ts', "import { licenseChangeLog } from '../projections/licenseChangeLog'\nexport const x = licenseChangeLog"],
    ['src/providers/x.ts', "import { openStorage } from '../store/open'\nexport const x = openStorage"],
    ['src/projections/x.ts', "import { createSeatflow } from '../app/seatflow'\nexport const x = createSeatflow"],
    ['src/store/x.ts', "import { createSeatflow } from '../app/seatflow'\nexport const x = createSeatflow"],
    ['src/store/x.ts', "import { run } from '../cli/main'\nexport const x = run"],
    ['src/workflows/x.ts', "import { openStorage } from '../store/open'\nexport const x = openStorage"],
] as const).map(([file, code]) => [file, code, ruleIdsFor(file, code)] as const)
const allowed = [
  ruleIdsFor('src/providers/x.ts', "import { derivedId } from '../domain/ids'\nexport const x = derivedId"),
  ruleIdsFor('src/app/x.ts', "import { openStorage } from '../store/open'\nexport const x = openStorage"),
]
const tooLong = ruleIdsFor('src/app/x.ts', longFunction(70))
const screen = ruleIdsFor('src/app/x.ts', longFunction(40))
const longFile = ruleIdsFor('src/app/x.ts', Array.from({ length: 210 }, (_, i) => `export const value${i} = ${i}\n`).join(''))
const manyParams = ruleIdsFor('src/app/x.ts', 'export const f = (a: number, b: number, c: number, d: number, e: number, f: number): number => a + b + c + d + e + f\n')
const branchy = ruleIdsFor('src/app/x.ts', `export const f = (n: number): number => {\n${Array.from({ length: 16 }, (_, i) => `  if (n === ${i}) return ${i}\n`).join('')}  return -1\n}\n`)

describe('the rules of the house are checked by npm run lint', () => {
  beforeAll(() => { answers = lint(queued) }, 60_000)

  test.each(forbidden)('%s may not import what this one does: %s', (_file, _code, ruleIds) => {
    expect(ruleIds()).toContain('no-restricted-imports')
  })

  test('what a folder may import passes', () => {
    allowed.forEach((ruleIds) => expect(ruleIds()).toEqual([]))
  })

  test('a function longer than a screen is an error, a screen is not', () => {
    expect(tooLong()).toContain('max-lines-per-function')
    expect(screen()).toEqual([])
  })

  test('a file longer than 200 lines, too many parameters and too much branching are errors', () => {
    expect(longFile()).toContain('max-lines')
    expect(manyParams()).toContain('max-params')
    expect(branchy()).toContain('complexity')
  })
})
