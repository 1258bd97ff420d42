/** One benchmark's outcome: both figures, their ratio, and the target the ratio must meet. */
export interface BenchResult {
  readonly name: string
  readonly seatflow: { readonly label: string; readonly value: number }
  readonly baseline: { readonly label: string; readonly value: number }
  /** seatflow / baseline for rates; baseline / seatflow-style targets are stated in `meaning`. */
  readonly ratio: number
  readonly target: string
  readonly met: boolean
  readonly notes?: ReadonlyArray<string>
}

type Figure = BenchResult['seatflow']

/** A result whose ratio seatflow / baseline must reach `atLeast`. */
export const rateResult = (name: string, seatflow: Figure, baseline: Figure, atLeast: number): BenchResult => {
  const ratio = seatflow.value / baseline.value
  return { name, seatflow, baseline, ratio, target: `>= ${atLeast}`, met: ratio >= atLeast }
}

const figure = (value: number): string => (value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(2))

/** The lines a result prints as. */
export const describeResult = (result: BenchResult): ReadonlyArray<string> => [
  `${result.name}`,
  `  seatflow: ${figure(result.seatflow.value)} ${result.seatflow.label}`,
  `  baseline: ${figure(result.baseline.value)} ${result.baseline.label}`,
  `  ratio:    ${result.ratio.toFixed(3)}   target ${result.target}   ${result.met ? 'MET' : 'MISSED'}`,
  ...(result.notes ?? []).map((note) => `  note:     ${note}`),
]

/** Run `work` and answer how long it took, in seconds. */
export const timed = async (work: () => Promise<unknown> | unknown): Promise<number> => {
  const started = performance.now()
  await work()
  return (performance.now() - started) / 1000
}
