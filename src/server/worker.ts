import { ServiceContext } from './context'

/** How the worker runs. */
export interface WorkerOptions {
  /** Read every Automatic subscription at its gateway and sync it this often (minutes). Default: never. */
  readonly syncIntervalMinutes?: number
}

/** The worker (to be written): follows the log and runs what falls due. */
export const createWorker = (_context: ServiceContext, _options: WorkerOptions) => ({
  start: (): void => undefined,
  stop: async (): Promise<void> => undefined,
})
