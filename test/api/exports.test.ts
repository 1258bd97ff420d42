import * as fs from 'node:fs'
import * as path from 'node:path'
import * as ts from 'typescript'

const root = path.join(__dirname, '..', '..')

/** Every name a module exports (values and types), sorted: what a host can import from it. */
const exportedNames = (file: string): ReadonlyArray<string> => {
  const program = ts.createProgram([path.join(root, file)], { strict: true, skipLibCheck: true, noEmit: true })
  const source = program.getSourceFile(path.join(root, file))
  const checker = program.getTypeChecker()
  const symbol = source === undefined ? undefined : checker.getSymbolAtLocation(source)
  if (symbol === undefined) throw new Error(`${file} is not a module`)
  return checker.getExportsOfModule(symbol).map((exported) => exported.getName()).sort()
}

const committed = (list: string): ReadonlyArray<string> =>
  fs.readFileSync(path.join(__dirname, list), 'utf8').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'))

describe('the public API changes only on purpose', () => {
  test.each([
    ['seatflow', 'src/index.ts', 'exports.txt'],
    ['seatflow/store', 'src/store/index.ts', 'exports-store.txt'],
    ['seatflow/server', 'src/server/index.ts', 'exports-server.txt'],
  ])('%s (%s) exports exactly the names committed in test/api/%s: edit the list and the README with the change', (_entry, file, list) => {
    expect(exportedNames(file)).toEqual([...committed(list)].sort())
  })

  test('the main entry stays small: 80 names or fewer', () => {
    expect(exportedNames('src/index.ts').length).toBeLessThanOrEqual(80)
  })
})
