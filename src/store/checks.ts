import { defaultBatchSize, ReadAllOptions, ReadStreamOptions } from './port'

/** The batch size of a read, checked: a positive integer. */
export const batchSizeOf = (options: ReadAllOptions): number => {
  const size = options.batchSize ?? defaultBatchSize
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`batchSize must be a positive integer, got ${size}`)
  return size
}

/** The first revision a stream read asks for, checked: a non-negative integer. */
export const fromRevisionOf = (options: ReadStreamOptions | undefined): number => {
  const from = options?.fromRevision ?? 0
  if (!Number.isSafeInteger(from) || from < 0) throw new RangeError(`fromRevision must be a non-negative integer, got ${from}`)
  return from
}

/** The checkpoint a view update returned, checked: a non-negative integer. */
export const checkpointOf = (name: string, value: unknown): number => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`view update of ${name} must return a non-negative integer checkpoint, got ${String(value)}`)
  }
  return value
}
