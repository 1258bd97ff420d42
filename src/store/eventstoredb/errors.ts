import { convertToCommandError, ErrorType, isCommandError } from '@eventstore/db-client'
import { UnreadableRowError } from '../rows'

/** The EventStoreDB server cannot be reached. */
export class EventStoreDbUnavailableError extends Error {
  constructor(readonly address: string, cause: unknown) {
    super(`EventStoreDB unavailable at ${address}: ${messageOf(cause)}; check that the server runs and the URL (host, port, tls) is right`, { cause })
    this.name = 'EventStoreDbUnavailableError'
  }
}

/** The server refused an append larger than its maximum append size. */
export class AppendTooLargeError extends Error {
  constructor(readonly streamId: string, readonly maxAppendSize: number, readonly bytes: number, cause: unknown) {
    super(`EventStoreDB refused the append to stream ${streamId}: its events hold ${bytes} bytes, over the server's `
      + `maximum append size of ${maxAppendSize} bytes (MaxAppendSize); nothing was written`, { cause })
    this.name = 'AppendTooLargeError'
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error))

const grpcUnavailable = 14

const commandError = (error: unknown) => (error instanceof Error && isCommandError(error) ? error : undefined)

/** Whether a failure means the server cannot be reached, including the raw gRPC error of a first call. */
const isUnavailable = (error: unknown): boolean => {
  if (commandError(error) !== undefined) return commandError(error)?.type === ErrorType.UNAVAILABLE
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === grpcUnavailable
}

/** What went wrong in one call: for the message. */
export interface Failed {
  readonly address: string
  readonly operation: string
  readonly streamId?: string
  readonly bytes?: number
}

/**
 * Map a failure of the client once, at the edge: unreachable server, append too large, or any
 * other failure kept as the cause of an error that says what was being done where.
 */
export const mapFailure = (raw: unknown, failed: Failed): Error => {
  const error = raw instanceof Error || (typeof raw === 'object' && raw !== null) ? convertToCommandError(raw as Error) : raw
  if (isUnavailable(error) || isUnavailable(raw)) return new EventStoreDbUnavailableError(failed.address, error)
  const command = commandError(error)
  if (command?.type === ErrorType.MAXIMUM_APPEND_SIZE_EXCEEDED) {
    return new AppendTooLargeError(failed.streamId ?? '?', command.maxAppendSize, failed.bytes ?? 0, command)
  }
  const where = failed.streamId === undefined ? '' : ` on stream ${failed.streamId}`
  return new Error(`EventStoreDB ${failed.operation}${where} failed at ${failed.address}: ${messageOf(error)}`, { cause: error })
}

/** The error a read throws: an unreadable event as it is (it already names where), anything else mapped. */
export const failureOf = (error: unknown, failed: Failed): Error =>
  error instanceof UnreadableRowError ? error : mapFailure(error, failed)
